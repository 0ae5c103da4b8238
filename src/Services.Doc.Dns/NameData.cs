namespace Services.Doc.Dns;

/// <summary>CNAME, NS and PTR: one domain name (RFC 1035 §3.3.1, §3.3.11, §3.3.12), compressible.</summary>
public sealed record NameData(string Target) : DnsRecordData
{
    public override string ToText() => DnsName.ToText(Target);

    internal override void Write(DnsWriter writer) => writer.WriteName(Target, compress: true);
}
