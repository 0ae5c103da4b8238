using System.Buffers.Binary;
using System.Text;

namespace Coap.Fuzzing;

/// <summary>
/// What a deterministic stand-in upstream answers to a query, chosen by the first label of its question's name (see
/// <see cref="DnsQueries.Names"/>): "big" 60 A records (an answer past 1024 bytes, so DoC sends it block-wise), "gone"
/// NXDOMAIN with an SOA, "empty" NOERROR without records, "servfail" SERVFAIL, "bad" an answer count one higher than
/// the records present (DoC must turn it into SERVFAIL), "tc" TC set and no records, "silent" no answer at all (null:
/// the upstream times out), anything else a CNAME and an A record. A query it cannot read gets FORMERR.
/// </summary>
public static class DnsAnswers
{
    private const ushort NameAtQuestion = 0xC00C;

    public static byte[]? For(ReadOnlySpan<byte> query)
    {
        if (query.Length < 12 || !TryReadQuestion(query, out var questionEnd, out var label))
        {
            return Header(query.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(query) : (ushort)0, 0, 1, 0, 0, 0);
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(query);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(query[2..]);
        var question = query[12..questionEnd];
        return label switch
        {
            "silent" => null,
            "servfail" => Answer(id, flags, 2, question, [], 0),
            "empty" => Answer(id, flags, 0, question, [], 0),
            "gone" => Answer(id, flags, 3, question, [Soa()], 0, authority: true),
            "tc" => Answer(id, (ushort)(flags | 0x0200), 0, question, [], 0),
            "bad" => Answer(id, flags, 0, question, [A(1)], 1),
            "big" => Answer(id, flags, 0, question, [.. Enumerable.Range(1, 60).Select(A)], 0),
            _ => Answer(id, flags, 0, question, [Cname("web.example.com"), A(7)], 0),
        };
    }

    /// <summary>
    /// Finds the end of the first question and its first label; false when the question runs past the end.
    /// </summary>
    private static bool TryReadQuestion(ReadOnlySpan<byte> query, out int end, out string firstLabel)
    {
        end = 12;
        firstLabel = "";
        if (BinaryPrimitives.ReadUInt16BigEndian(query[4..]) == 0)
        {
            return true;
        }

        while (end < query.Length)
        {
            var length = query[end];
            if (length == 0)
            {
                end += 1 + 4;
                return end <= query.Length;
            }

            if ((length & 0xC0) == 0xC0)
            {
                end += 2 + 4;
                return end <= query.Length;
            }

            if ((length & 0xC0) != 0 || end + 1 + length > query.Length)
            {
                return false;
            }

            if (end == 12)
            {
                firstLabel = Encoding.ASCII.GetString(query.Slice(end + 1, length)).ToLowerInvariant();
            }

            end += 1 + length;
        }

        return false;
    }

    private static byte[] Answer(ushort id, ushort queryFlags, int rcode, ReadOnlySpan<byte> question, byte[][] records, int missing, bool authority = false)
    {
        var flags = (ushort)(0x8000 | (queryFlags & 0x7B00) | 0x0080 | rcode);
        var questions = question.IsEmpty ? 0 : 1;
        var count = records.Length + missing;
        var bytes = new List<byte>(Header(id, flags, 0, questions, authority ? 0 : count, authority ? count : 0));
        bytes.AddRange(question.ToArray());
        foreach (var record in records)
        {
            bytes.AddRange(record);
        }

        return [.. bytes];
    }

    private static byte[] Header(ushort id, ushort flags, int rcode, int questions, int answers, int authorities)
    {
        var bytes = new List<byte>(12);
        DnsQueries.AddUInt16(bytes, id);
        DnsQueries.AddUInt16(bytes, (ushort)(flags | 0x8000 | rcode));
        DnsQueries.AddUInt16(bytes, (ushort)questions);
        DnsQueries.AddUInt16(bytes, (ushort)answers);
        DnsQueries.AddUInt16(bytes, (ushort)authorities);
        DnsQueries.AddUInt16(bytes, 0);
        return [.. bytes];
    }

    private static byte[] A(int host) => Record(1, 300, [192, 0, 2, (byte)host]);

    private static byte[] Cname(string target)
    {
        var name = new List<byte>();
        DnsQueries.AddName(name, target);
        return Record(5, 60, [.. name]);
    }

    private static byte[] Soa()
    {
        var data = new List<byte>();
        DnsQueries.AddName(data, "ns.example.com");
        DnsQueries.AddName(data, "admin.example.com");
        foreach (var value in new uint[] { 1, 7200, 900, 1209600, 120 })
        {
            DnsQueries.AddUInt16(data, (ushort)(value >> 16));
            DnsQueries.AddUInt16(data, (ushort)value);
        }

        return Record(6, 3600, [.. data]);
    }

    /// <summary>A record of the question's name (a pointer to offset 12) and class IN.</summary>
    private static byte[] Record(ushort type, uint ttl, byte[] data)
    {
        var bytes = new List<byte>(12 + data.Length);
        DnsQueries.AddUInt16(bytes, NameAtQuestion);
        DnsQueries.AddUInt16(bytes, type);
        DnsQueries.AddUInt16(bytes, 1);
        DnsQueries.AddUInt16(bytes, (ushort)(ttl >> 16));
        DnsQueries.AddUInt16(bytes, (ushort)ttl);
        DnsQueries.AddUInt16(bytes, (ushort)data.Length);
        bytes.AddRange(data);
        return [.. bytes];
    }
}
