namespace Services.Doc.Dns;

/// <summary>
/// A resource record (RFC 1035 §4.1.3). For OPT (RFC 6891 §6.1.2) Class is the requestor's UDP payload size and Ttl
/// the extended RCODE, version and flags: not a time.
/// </summary>
public sealed record DnsRecord(string Name, ushort Type, ushort Class, uint Ttl, DnsRecordData Data)
{
    public bool IsOpt => Type == DnsType.Opt;
}
