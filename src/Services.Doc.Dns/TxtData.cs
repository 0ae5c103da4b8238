using System.Text;

namespace Services.Doc.Dns;

/// <summary>TXT (RFC 1035 §3.3.14): one or more character-strings of up to 255 octets each.</summary>
public sealed record TxtData(IReadOnlyList<byte[]> Strings) : DnsRecordData
{
    public override string ToText()
    {
        var text = new StringBuilder();
        foreach (var value in Strings)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append('"');
            foreach (var b in value)
            {
                if (b is (byte)'"' or (byte)'\\')
                {
                    text.Append('\\').Append((char)b);
                }
                else if (b is < 0x20 or > 0x7E)
                {
                    text.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append((char)b);
                }
            }

            text.Append('"');
        }

        return text.ToString();
    }

    internal override void Write(DnsWriter writer)
    {
        foreach (var value in Strings)
        {
            if (value.Length > 255)
            {
                throw new DnsFormatException($"a TXT character-string has {value.Length} octets, more than 255", -1);
            }

            writer.WriteByte((byte)value.Length);
            writer.WriteBytes(value);
        }
    }
}
