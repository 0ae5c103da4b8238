using Services.Doc.Dns;

namespace Services.Doc;

/// <summary>
/// RFC 9953 §4.3.1: Max-Age is the smallest TTL of the answer, authority and additional records (the OPT
/// pseudo-record's TTL field is flags, never touched), and that much is taken off every TTL, so Max-Age + TTL never
/// exceeds what the upstream said. A negative answer (NXDOMAIN, or NOERROR without answers) is held no longer than
/// its SOA's MINIMUM (RFC 2308 §5), or the configured default when it has no records; an error answer gets 0.
/// </summary>
internal static class MaxAgeRewriter
{
    public static (DnsMessage Message, uint MaxAge) Apply(DnsMessage response, uint negativeMaxAge)
    {
        var rcode = response.Header.Rcode;
        if (rcode is not (DnsRcode.NoError or DnsRcode.NxDomain))
        {
            return (response, 0);
        }

        uint? smallest = null;
        foreach (var record in response.Records)
        {
            if (!record.IsOpt)
            {
                smallest = Math.Min(smallest ?? uint.MaxValue, record.Ttl);
            }
        }

        var negative = rcode == DnsRcode.NxDomain || !response.Answers.Any(r => !r.IsOpt);
        var maxAge = smallest ?? negativeMaxAge;
        if (negative)
        {
            foreach (var record in response.Authorities)
            {
                if (record.Data is SoaData soa)
                {
                    maxAge = Math.Min(maxAge, soa.Minimum);
                }
            }
        }

        return (response with
        {
            Answers = Subtract(response.Answers, maxAge),
            Authorities = Subtract(response.Authorities, maxAge),
            Additionals = Subtract(response.Additionals, maxAge),
        }, maxAge);
    }

    private static List<DnsRecord> Subtract(IReadOnlyList<DnsRecord> records, uint maxAge)
    {
        var result = new List<DnsRecord>(records.Count);
        foreach (var record in records)
        {
            result.Add(record.IsOpt ? record : record with { Ttl = record.Ttl - Math.Min(record.Ttl, maxAge) });
        }

        return result;
    }
}
