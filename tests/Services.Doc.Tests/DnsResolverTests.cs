using System.Net;
using Coap.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Services.Doc.Caching;
using Services.Doc.Dns;
using Services.Doc.Upstream;

namespace Services.Doc.Tests;

public sealed class DnsResolverTests
{
    private readonly GatedUpstream _upstream = new();
    private readonly DnsResolver _resolver;

    public DnsResolverTests()
    {
        var options = Options.Create(new DocOptions());
        _resolver = new DnsResolver(options, _upstream, new DnsAnswerCache(options, new FakeTimeProvider()), NullLogger<DnsResolver>.Instance);
    }

    private Task<DocAnswer> ResolveAsync(ushort id, string name = "www.example")
    {
        var query = DnsMessage.Query(id, name, DnsType.A);
        return _resolver.ResolveAsync(query.ToArray(), query, CancellationToken.None).AsTask();
    }

    [Fact]
    public async Task Equal_queries_while_one_is_upstream_share_its_answer_each_with_its_own_id()
    {
        var first = ResolveAsync(1);
        var second = ResolveAsync(2);
        var other = ResolveAsync(3, "other.example");

        Assert.Equal(2, _upstream.Queries);
        _upstream.Answer(IPAddress.Parse("192.0.2.1"));

        var answers = await Task.WhenAll(first, second, other).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([1, 2, 3], answers.Select(a => (int)DnsMessage.Parse(a.Body).Header.Id));
        Assert.All(answers, a => Assert.Equal(60u, a.MaxAge));
        await ResolveAsync(4);
        Assert.Equal(2, _upstream.Queries);
    }

    [Fact]
    public async Task A_failed_shared_lookup_is_servfail_for_every_waiter_and_the_next_query_asks_again()
    {
        var first = ResolveAsync(1);
        var second = ResolveAsync(2);

        _upstream.Fail();

        var answers = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.All(answers, a => Assert.Equal(DnsRcode.ServFail, DnsMessage.Parse(a.Body).Header.Rcode));
        _ = ResolveAsync(3);
        Assert.Equal(2, _upstream.Queries);
    }

    /// <summary>An upstream whose answers wait until the test releases them.</summary>
    private sealed class GatedUpstream : IDnsUpstream
    {
        private readonly List<(DnsMessage Query, TaskCompletionSource<byte[]> Gate)> _waiting = [];

        public int Queries { get; private set; }

        public ValueTask<byte[]> QueryAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
        {
            Queries++;
            var gate = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((DnsMessage.Parse(query.Span), gate));
            return new ValueTask<byte[]>(gate.Task);
        }

        public void Answer(IPAddress address)
        {
            foreach (var (query, gate) in _waiting)
            {
                var record = new DnsRecord(query.Questions[0].Name, DnsType.A, 1, 60, new AddressData(address));
                gate.SetResult(new DnsMessage(query.Header.AsResponse(DnsRcode.NoError), query.Questions, [record], [], []).ToArray());
            }

            _waiting.Clear();
        }

        public void Fail()
        {
            foreach (var (_, gate) in _waiting)
            {
                gate.SetException(new DnsUpstreamException("stand-in upstream down"));
            }

            _waiting.Clear();
        }
    }
}
