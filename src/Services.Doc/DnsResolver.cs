using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Services.Doc.Caching;
using Services.Doc.Dns;
using Services.Doc.Upstream;

namespace Services.Doc;

/// <summary>
/// Turns a parsed DNS query into the answer: from the cache, else from the upstream with TTLs rewritten. DNS problems
/// stay DNS answers (RFC 9953 §4.3.3): OPCODE other than QUERY → NOTIMP, an upstream that fails or answers garbage →
/// SERVFAIL, both with Max-Age 0 and never cached.
/// </summary>
internal sealed partial class DnsResolver(IOptions<DocOptions> options, IDnsUpstream upstream, DnsAnswerCache cache, ILogger<DnsResolver> logger)
{
    private readonly uint _negativeMaxAge = options.Value.NegativeMaxAge;

    public async ValueTask<DocAnswer> ResolveAsync(ReadOnlyMemory<byte> queryBytes, DnsMessage query, CancellationToken cancellationToken)
    {
        if (query.Header.Opcode != 0)
        {
            return Error(query, DnsRcode.NotImp);
        }

        var key = DnsAnswerCache.KeyOf(queryBytes.Span);
        if (cache.TryGet(key, out var cached, out var remaining))
        {
            return new DocAnswer(WithId(cached, query.Header.Id), remaining);
        }

        byte[] body;
        uint maxAge;
        try
        {
            var response = DnsMessage.Parse((await upstream.QueryAsync(queryBytes, cancellationToken).ConfigureAwait(false)).AsSpan());
            (var rewritten, maxAge) = MaxAgeRewriter.Apply(response, _negativeMaxAge);
            body = (rewritten with { Header = rewritten.Header with { Id = 0 } }).ToArray();
            if (!rewritten.Header.Truncated && rewritten.Header.Rcode is DnsRcode.NoError or DnsRcode.NxDomain)
            {
                cache.Add(key, body, maxAge);
            }
        }
        catch (Exception exception) when (exception is DnsUpstreamException or DnsFormatException)
        {
            LogServFail(query.Questions.Count > 0 ? query.Questions[0].Name : "", exception.Message);
            return Error(query, DnsRcode.ServFail);
        }

        return new DocAnswer(WithId(body, query.Header.Id), maxAge);
    }

    private static DocAnswer Error(DnsMessage query, int rcode) =>
        new(new DnsMessage(query.Header.AsResponse(rcode), query.Questions, [], [], []).ToArray(), 0);

    private static byte[] WithId(byte[] body, ushort id)
    {
        var copy = (byte[])body.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(copy, id);
        return copy;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS query for '{Name}' answered SERVFAIL: {Reason}")]
    private partial void LogServFail(string name, string reason);
}
