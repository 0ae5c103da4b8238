using System.Net;

namespace Services.Doc.Dns;

/// <summary>A (RFC 1035 §3.4.1, 4 octets) or AAAA (RFC 3596 §2.2, 16 octets).</summary>
public sealed record AddressData(IPAddress Address) : DnsRecordData
{
    public override string ToText() => Address.ToString();

    internal override void Write(DnsWriter writer) => writer.WriteBytes(Address.GetAddressBytes());
}
