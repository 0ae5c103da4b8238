namespace Services.Doc.Dns;

/// <summary>MX (RFC 1035 §3.3.9): preference and exchange, compressible.</summary>
public sealed record MxData(ushort Preference, string Exchange) : DnsRecordData
{
    public override string ToText() => $"{Preference} {DnsName.ToText(Exchange)}";

    internal override void Write(DnsWriter writer)
    {
        writer.WriteUInt16(Preference);
        writer.WriteName(Exchange, compress: true);
    }
}
