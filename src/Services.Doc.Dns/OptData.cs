namespace Services.Doc.Dns;

/// <summary>The OPT pseudo-record's RDATA (RFC 6891 §6.1.2): a list of options.</summary>
public sealed record OptData(IReadOnlyList<EdnsOption> Options) : DnsRecordData
{
    public override string ToText() => string.Join(' ', Options.Select(o => $"{o.Code}:{Convert.ToHexString(o.Data)}"));

    internal override void Write(DnsWriter writer)
    {
        foreach (var option in Options)
        {
            writer.WriteUInt16(option.Code);
            if (option.Data.Length > ushort.MaxValue)
            {
                throw new DnsFormatException($"EDNS option {option.Code} has {option.Data.Length} octets, more than 65535", -1);
            }

            writer.WriteUInt16((ushort)option.Data.Length);
            writer.WriteBytes(option.Data);
        }
    }
}
