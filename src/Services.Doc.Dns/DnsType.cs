namespace Services.Doc.Dns;

/// <summary>Resource record TYPE values (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 6891) and their mnemonics.</summary>
public static class DnsType
{
    public const ushort A = 1;
    public const ushort Ns = 2;
    public const ushort Cname = 5;
    public const ushort Soa = 6;
    public const ushort Ptr = 12;
    public const ushort Mx = 15;
    public const ushort Txt = 16;
    public const ushort Aaaa = 28;
    public const ushort Srv = 33;
    public const ushort Opt = 41;

    private static readonly Dictionary<string, ushort> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["A"] = A, ["NS"] = Ns, ["CNAME"] = Cname, ["SOA"] = Soa, ["PTR"] = Ptr, ["MX"] = Mx, ["TXT"] = Txt,
        ["AAAA"] = Aaaa, ["SRV"] = Srv, ["OPT"] = Opt, ["ANY"] = 255,
    };

    /// <summary>The mnemonic, or the RFC 3597 §5 generic form "TYPE123".</summary>
    public static string NameOf(ushort type)
    {
        foreach (var (name, value) in ByName)
        {
            if (value == type)
            {
                return name;
            }
        }

        return $"TYPE{type}";
    }

    /// <summary>Parses a mnemonic or "TYPEnnn".</summary>
    public static bool TryParse(string text, out ushort type)
    {
        if (ByName.TryGetValue(text, out type))
        {
            return true;
        }

        return text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase) && ushort.TryParse(text.AsSpan(4), out type);
    }
}
