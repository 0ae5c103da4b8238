namespace Services.Doc.Dns;

/// <summary>RDATA of a type the codec does not decode, kept byte for byte (RFC 3597 §5 presentation).</summary>
public sealed record OpaqueData(byte[] Bytes) : DnsRecordData
{
    public override string ToText() => Bytes.Length == 0 ? @"\# 0" : $@"\# {Bytes.Length} {Convert.ToHexString(Bytes)}";

    internal override void Write(DnsWriter writer) => writer.WriteBytes(Bytes);
}
