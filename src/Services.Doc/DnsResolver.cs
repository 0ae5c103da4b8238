using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Services.Doc.Caching;
using Services.Doc.Dns;
using Services.Doc.Upstream;

namespace Services.Doc;

/// <summary>
/// Turns a parsed DNS query into the answer: from the cache, else from the upstream with TTLs rewritten; equal queries
/// arriving while one is upstream wait for that one instead of asking again (the lookup itself is not cancelled when
/// its first asker goes away: it ends within the upstream timeouts and fills the cache). DNS problems
/// stay DNS answers (RFC 9953 §4.3.3): OPCODE other than QUERY → NOTIMP, an upstream that fails or answers garbage →
/// SERVFAIL, both with Max-Age 0 and never cached.
/// </summary>
internal sealed partial class DnsResolver(IOptions<DocOptions> options, IDnsUpstream upstream, DnsAnswerCache cache, ILogger<DnsResolver> logger, SharedAnswerCache? shared = null)
{
    private readonly uint _negativeMaxAge = options.Value.NegativeMaxAge;
    private readonly ConcurrentDictionary<string, Task<DocAnswer?>> _pending = new(StringComparer.Ordinal);

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

        var mine = new TaskCompletionSource<DocAnswer?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lookup = _pending.GetOrAdd(key, mine.Task);
        if (ReferenceEquals(lookup, mine.Task))
        {
            try
            {
                mine.SetResult(await LookUpAsync(key, queryBytes, query).ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                mine.SetException(exception);
                throw;
            }
            finally
            {
                _pending.TryRemove(new KeyValuePair<string, Task<DocAnswer?>>(key, mine.Task));
            }
        }

        var answer = await lookup.WaitAsync(cancellationToken).ConfigureAwait(false);
        return answer is { } found ? new DocAnswer(WithId(found.Body, query.Header.Id), found.MaxAge) : Error(query, DnsRcode.ServFail);
    }

    /// <summary>
    /// One lookup for everyone asking the same query meanwhile: from the shared cache (Cache = Redis) when another host
    /// has the answer, else upstream; the answer with ID 0, or null for SERVFAIL.
    /// </summary>
    private async Task<DocAnswer?> LookUpAsync(string key, ReadOnlyMemory<byte> queryBytes, DnsMessage query)
    {
        if (shared is not null && await shared.TryGetAsync(key).ConfigureAwait(false) is { } other)
        {
            cache.Add(key, other.Body, other.MaxAge);
            return new DocAnswer(other.Body, other.MaxAge);
        }

        try
        {
            var response = DnsMessage.Parse((await upstream.QueryAsync(queryBytes, CancellationToken.None).ConfigureAwait(false)).AsSpan());
            var (rewritten, maxAge) = MaxAgeRewriter.Apply(response, _negativeMaxAge);
            var body = (rewritten with { Header = rewritten.Header with { Id = 0 } }).ToArray();
            if (!rewritten.Header.Truncated && rewritten.Header.Rcode is DnsRcode.NoError or DnsRcode.NxDomain)
            {
                cache.Add(key, body, maxAge);
                if (shared is not null)
                {
                    // Shared before the answer goes out, so a host asked next finds it; a Redis that fails does not delay it (no backlog).
                    await shared.AddAsync(key, body, maxAge).ConfigureAwait(false);
                }
            }

            return new DocAnswer(body, maxAge);
        }
        catch (Exception exception) when (exception is DnsUpstreamException or DnsFormatException)
        {
            LogServFail(query.Questions.Count > 0 ? query.Questions[0].Name : "", exception.Message);
            return null;
        }
    }

    private static DocAnswer Error(DnsMessage query, int rcode) =>
        new(new DnsMessage(query.Header.AsResponse(rcode), query.Questions, [], [], []).ToArray(), 0);

    private static byte[] WithId(byte[] body, ushort id)
    {
        var copy = (byte[])body.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(copy, id);
        return copy;
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "DNS query for '{Name}' answered SERVFAIL: {Reason}")]
    private partial void LogServFail(string name, string reason);
}
