using System.Globalization;
using System.Text;
using Services.Doc.Dns;

namespace Coap.Cli.Output;

/// <summary>
/// A DNS response as dig prints it: the record data one per line (+short), or the header and sections. TTLs are
/// shown as the resolver meant them, TTL + Max-Age (RFC 9953 §4.3.1: the server took Max-Age off every TTL).
/// </summary>
internal static class DnsAnswerText
{
    public static string Short(DnsMessage answer)
    {
        var text = new StringBuilder();
        foreach (var record in answer.Answers)
        {
            if (!record.IsOpt)
            {
                text.Append(record.Data.ToText()).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Sections(DnsMessage answer, uint maxAge)
    {
        var header = answer.Header;
        var text = new StringBuilder();
        var opcode = header.Opcode == 0 ? "QUERY" : header.Opcode.ToString(CultureInfo.InvariantCulture);
        text.Append(CultureInfo.InvariantCulture, $";; ->>HEADER<<- opcode: {opcode}, status: {DnsRcode.NameOf(header.Rcode)}, id: {header.Id}\n");
        text.Append(CultureInfo.InvariantCulture, $";; flags:{Flags(header)}; QUERY: {answer.Questions.Count}, ANSWER: {answer.Answers.Count}, AUTHORITY: {answer.Authorities.Count}, ADDITIONAL: {answer.Additionals.Count}\n");
        text.Append(CultureInfo.InvariantCulture, $";; Max-Age: {maxAge}\n");
        text.Append("\n;; QUESTION SECTION:\n");
        foreach (var question in answer.Questions)
        {
            text.Append(CultureInfo.InvariantCulture, $";{DnsName.ToText(question.Name)}\t\t{Class(question.Class)}\t{DnsType.NameOf(question.Type)}\n");
        }

        Section(text, "ANSWER", answer.Answers, maxAge);
        Section(text, "AUTHORITY", answer.Authorities, maxAge);
        Section(text, "ADDITIONAL", answer.Additionals, maxAge);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string name, IReadOnlyList<DnsRecord> records, uint maxAge)
    {
        if (records.Count == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"\n;; {name} SECTION:\n");
        foreach (var record in records)
        {
            if (record.IsOpt)
            {
                text.Append(CultureInfo.InvariantCulture, $";; OPT: udp {record.Class}, flags 0x{record.Ttl:X8} {record.Data.ToText()}\n");
                continue;
            }

            var ttl = (ulong)record.Ttl + maxAge;
            text.Append(CultureInfo.InvariantCulture, $"{DnsName.ToText(record.Name)}\t{ttl}\t{Class(record.Class)}\t{DnsType.NameOf(record.Type)}\t{record.Data.ToText()}\n");
        }
    }

    private static string Flags(DnsHeader header)
    {
        var flags = new StringBuilder();
        if (header.IsResponse)
        {
            flags.Append(" qr");
        }

        if (header.Authoritative)
        {
            flags.Append(" aa");
        }

        if (header.Truncated)
        {
            flags.Append(" tc");
        }

        if (header.RecursionDesired)
        {
            flags.Append(" rd");
        }

        if (header.RecursionAvailable)
        {
            flags.Append(" ra");
        }

        return flags.ToString();
    }

    private static string Class(ushort value) => value == DnsQuestion.InternetClass ? "IN" : $"CLASS{value}";
}
