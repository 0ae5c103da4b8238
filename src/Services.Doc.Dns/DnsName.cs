using System.Globalization;
using System.Text;

namespace Services.Doc.Dns;

/// <summary>
/// Domain names in presentation form without the final dot ("" is the root): a label's '.' and '\' are escaped with
/// '\', other octets outside 0x21–0x7E as "\DDD" (RFC 1035 §5.1). Labels are at most 63 octets and the wire form at
/// most 255 (RFC 1035 §2.3.4).
/// </summary>
public static class DnsName
{
    public const int MaxLabelLength = 63;
    public const int MaxWireLength = 255;

    /// <summary>The fully qualified form, with the final dot.</summary>
    public static string ToText(string name) => name.Length == 0 ? "." : name + ".";

    /// <summary>Appends one wire label to a name being read.</summary>
    public static void AppendLabel(StringBuilder name, ReadOnlySpan<byte> label)
    {
        if (name.Length > 0)
        {
            name.Append('.');
        }

        foreach (var b in label)
        {
            if (b is (byte)'.' or (byte)'\\')
            {
                name.Append('\\').Append((char)b);
            }
            else if (b is < 0x21 or > 0x7E)
            {
                name.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
            else
            {
                name.Append((char)b);
            }
        }
    }

    /// <summary>Splits a presentation name into wire labels, checking the RFC 1035 §2.3.4 limits.</summary>
    public static List<byte[]> ToLabels(string name)
    {
        var labels = new List<byte[]>();
        if (name.Length == 0 || name == ".")
        {
            return labels;
        }

        var text = name.EndsWith('.') && !name.EndsWith("\\.", StringComparison.Ordinal) ? name[..^1] : name;
        var label = new List<byte>();
        var wireLength = 1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (label.Count == 0)
                {
                    throw new DnsFormatException($"the name '{name}' has an empty label", -1);
                }

                if (label.Count > MaxLabelLength)
                {
                    throw new DnsFormatException($"a label of '{name}' has {label.Count} octets, more than {MaxLabelLength}", -1);
                }

                wireLength += label.Count + 1;
                labels.Add([.. label]);
                label.Clear();
                continue;
            }

            label.Add(ReadCharacter(name, text, ref i));
        }

        if (wireLength > MaxWireLength)
        {
            throw new DnsFormatException($"the name '{name}' is {wireLength} octets on the wire, more than {MaxWireLength}", -1);
        }

        return labels;
    }

    private static byte ReadCharacter(string name, string text, ref int i)
    {
        var c = text[i];
        if (c != '\\')
        {
            return c <= 0xFF ? (byte)c : throw new DnsFormatException($"the name '{name}' has a character outside Latin-1", -1);
        }

        if (i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && char.IsAsciiDigit(text[i + 3]))
        {
            var value = int.Parse(text.AsSpan(i + 1, 3), CultureInfo.InvariantCulture);
            i += 3;
            return value <= 255 ? (byte)value : throw new DnsFormatException($"the name '{name}' has an escape above \\255", -1);
        }

        if (i + 1 < text.Length)
        {
            i++;
            return text[i] <= 0xFF ? (byte)text[i] : throw new DnsFormatException($"the name '{name}' has a character outside Latin-1", -1);
        }

        throw new DnsFormatException($"the name '{name}' ends in a lone backslash", -1);
    }
}
