namespace Services.Doc.Dns;

/// <summary>
/// A DNS message (RFC 1035 §4.1): header, question, answer, authority and additional sections. <see cref="Parse"/>
/// throws only <see cref="DnsFormatException"/>; <see cref="ToArray"/> compresses names.
/// </summary>
public sealed record DnsMessage(
    DnsHeader Header,
    IReadOnlyList<DnsQuestion> Questions,
    IReadOnlyList<DnsRecord> Answers,
    IReadOnlyList<DnsRecord> Authorities,
    IReadOnlyList<DnsRecord> Additionals)
{
    private const int HeaderLength = 12;

    /// <summary>A standard query for one name (RFC 1035 §4.1.1: OPCODE 0, RD as asked).</summary>
    public static DnsMessage Query(ushort id, string name, ushort type, bool recursionDesired = true) =>
        new(DnsHeader.Query(id, recursionDesired), [new DnsQuestion(name, type)], [], [], []);

    /// <summary>Every record of the three record sections, in order.</summary>
    public IEnumerable<DnsRecord> Records => Answers.Concat(Authorities).Concat(Additionals);

    public static DnsMessage Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength)
        {
            throw new DnsFormatException($"a DNS message needs a {HeaderLength}-octet header, got {message.Length} octets", 0);
        }

        var reader = new DnsReader(message);
        var header = new DnsHeader(reader.ReadUInt16(), reader.ReadUInt16());
        int questionCount = reader.ReadUInt16(), answerCount = reader.ReadUInt16(), authorityCount = reader.ReadUInt16(), additionalCount = reader.ReadUInt16();
        var questions = new List<DnsQuestion>();
        for (var i = 0; i < questionCount; i++)
        {
            questions.Add(new DnsQuestion(reader.ReadName(), reader.ReadUInt16(), reader.ReadUInt16()));
        }

        var answers = ReadRecords(ref reader, answerCount);
        var authorities = ReadRecords(ref reader, authorityCount);
        var additionals = ReadRecords(ref reader, additionalCount);
        if (!reader.AtEnd)
        {
            throw new DnsFormatException($"{message.Length - reader.Position} octets after the last record", reader.Position);
        }

        return new DnsMessage(header, questions, answers, authorities, additionals);
    }

    public static bool TryParse(ReadOnlySpan<byte> message, out DnsMessage? parsed, out string error)
    {
        try
        {
            parsed = Parse(message);
            error = "";
            return true;
        }
        catch (DnsFormatException exception)
        {
            parsed = null;
            error = exception.Message;
            return false;
        }
    }

    public byte[] ToArray()
    {
        var writer = new DnsWriter();
        writer.WriteUInt16(Header.Id);
        writer.WriteUInt16(Header.Flags);
        writer.WriteUInt16(Count(Questions.Count));
        writer.WriteUInt16(Count(Answers.Count));
        writer.WriteUInt16(Count(Authorities.Count));
        writer.WriteUInt16(Count(Additionals.Count));
        foreach (var question in Questions)
        {
            writer.WriteName(question.Name, compress: true);
            writer.WriteUInt16(question.Type);
            writer.WriteUInt16(question.Class);
        }

        foreach (var record in Records)
        {
            writer.WriteName(record.Name, compress: true);
            writer.WriteUInt16(record.Type);
            writer.WriteUInt16(record.Class);
            writer.WriteUInt32(record.Ttl);
            var lengthAt = writer.Length;
            writer.WriteUInt16(0);
            record.Data.Write(writer);
            writer.PatchUInt16(lengthAt, (ushort)(writer.Length - lengthAt - 2));
        }

        return writer.ToArray();
    }

    private static List<DnsRecord> ReadRecords(ref DnsReader reader, int count)
    {
        var records = new List<DnsRecord>();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadName();
            var type = reader.ReadUInt16();
            var recordClass = reader.ReadUInt16();
            var ttl = reader.ReadUInt32();
            var length = reader.ReadUInt16();
            records.Add(new DnsRecord(name, type, recordClass, ttl, reader.ReadData(type, length)));
        }

        return records;
    }

    private static ushort Count(int count) =>
        count <= ushort.MaxValue ? (ushort)count : throw new DnsFormatException($"{count} entries in a section, more than 65535", -1);
}
