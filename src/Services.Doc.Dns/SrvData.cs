namespace Services.Doc.Dns;

/// <summary>SRV (RFC 2782): the target is never compressed when written, but a compressed one is read.</summary>
public sealed record SrvData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData
{
    public override string ToText() => $"{Priority} {Weight} {Port} {DnsName.ToText(Target)}";

    internal override void Write(DnsWriter writer)
    {
        writer.WriteUInt16(Priority);
        writer.WriteUInt16(Weight);
        writer.WriteUInt16(Port);
        writer.WriteName(Target, compress: false);
    }
}
