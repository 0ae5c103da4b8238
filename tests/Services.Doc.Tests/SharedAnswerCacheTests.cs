using System.Net;
using Coap.Testing;
using Coap.Testing.Programs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Services.Doc.Caching;
using Services.Doc.Dns;
using Services.Doc.Upstream;

namespace Services.Doc.Tests;

/// <summary>Modules:Doc:Cache = Redis: resolvers of several hosts share their answers through one real redis-server.</summary>
public sealed class SharedAnswerCacheTests
{
    private readonly CountingUpstream _upstream = new();

    [Fact]
    public async Task A_second_host_answers_from_the_first_hosts_lookup_with_what_is_left_of_its_Max_Age()
    {
        await using var redis = await RedisServer.StartAsync();
        var (first, firstShared) = Host(redis);
        var (second, secondShared) = Host(redis);
        using (firstShared)
        using (secondShared)
        {
            var looked = await ResolveAsync(first, 1);
            var shared = await ResolveAsync(second, 2);
            var again = await ResolveAsync(second, 3);

            Assert.Equal(1, _upstream.Queries);
            Assert.Equal(300u, looked.MaxAge);
            Assert.InRange(shared.MaxAge, 1u, 300u);
            Assert.Equal(2, DnsMessage.Parse(shared.Body).Header.Id);
            Assert.Equal(looked.Body.AsSpan(2).ToArray(), shared.Body.AsSpan(2).ToArray());
            Assert.Equal(3, DnsMessage.Parse(again.Body).Header.Id);
        }
    }

    [Fact]
    public async Task Without_Redis_a_host_still_answers_from_the_upstream()
    {
        await using var redis = await RedisServer.StartAsync();
        var (host, shared) = Host(redis);
        using (shared)
        {
            await redis.KillAsync();

            var answer = await ResolveAsync(host, 7);

            Assert.Equal(1, _upstream.Queries);
            Assert.Equal(DnsRcode.NoError, DnsMessage.Parse(answer.Body).Header.Rcode);
            Assert.Equal(300u, answer.MaxAge);
        }
    }

    private (DnsResolver Resolver, SharedAnswerCache Shared) Host(RedisServer redis)
    {
        var options = Options.Create(new DocOptions { Cache = "Redis", Redis = new DocRedisOptions { Configuration = redis.Configuration } });
        var shared = new SharedAnswerCache(options, NullLogger<SharedAnswerCache>.Instance);
        return (new DnsResolver(options, _upstream, new DnsAnswerCache(options, TimeProvider.System), NullLogger<DnsResolver>.Instance, shared), shared);
    }

    private static Task<DocAnswer> ResolveAsync(DnsResolver resolver, ushort id)
    {
        var query = DnsMessage.Query(id, "www.example", DnsType.A);
        return resolver.ResolveAsync(query.ToArray(), query, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Answers every query at once with one A record of TTL 300, counting them.</summary>
    private sealed class CountingUpstream : IDnsUpstream
    {
        private int _queries;

        public int Queries => Volatile.Read(ref _queries);

        public ValueTask<byte[]> QueryAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _queries);
            var parsed = DnsMessage.Parse(query.Span);
            var record = new DnsRecord(parsed.Questions[0].Name, DnsType.A, 1, 300, new AddressData(IPAddress.Parse("192.0.2.1")));
            return ValueTask.FromResult(new DnsMessage(parsed.Header.AsResponse(DnsRcode.NoError), parsed.Questions, [record], [], []).ToArray());
        }
    }
}
