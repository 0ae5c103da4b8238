using Coap.Testing;
using Microsoft.Extensions.Options;
using Services.Doc.Caching;

namespace Services.Doc.Tests;

/// <summary>The answer cache is bounded in bytes, not only in entries: large answers cannot grow it past CacheBytes.</summary>
public sealed class AnswerCacheTests
{
    [Fact]
    public void Answers_beyond_the_byte_budget_are_not_cached_and_the_count_stays_within_it()
    {
        var time = new FakeTimeProvider();
        var cache = new DnsAnswerCache(Options.Create(new DocOptions { CacheBytes = 10_000 }), time);

        for (var i = 0; i < 100; i++)
        {
            cache.Add($"query-{i}", new byte[1_000], maxAge: 60);
        }

        Assert.InRange(cache.Bytes, 1, 10_000);
        Assert.InRange(cache.Count, 1, 9);
        Assert.False(cache.TryGet("query-99", out _, out _));
        Assert.True(cache.TryGet("query-0", out var body, out _));
        Assert.Equal(1_000, body.Length);
    }

    [Fact]
    public void Expired_answers_make_room_and_give_their_bytes_back()
    {
        var time = new FakeTimeProvider();
        var cache = new DnsAnswerCache(Options.Create(new DocOptions { CacheBytes = 3_000 }), time);
        cache.Add("old", new byte[2_000], maxAge: 10);
        time.Advance(TimeSpan.FromSeconds(10));

        cache.Add("new", new byte[2_000], maxAge: 10);

        Assert.True(cache.TryGet("new", out _, out _));
        Assert.False(cache.TryGet("old", out _, out _));
        Assert.Equal(2_000 + ("new".Length * 2) + DnsAnswerCache.EntryOverhead, cache.Bytes);
    }

    [Fact]
    public void Replacing_an_answer_counts_its_bytes_once()
    {
        var cache = new DnsAnswerCache(Options.Create(new DocOptions()), new FakeTimeProvider());

        cache.Add("q", new byte[500], maxAge: 60);
        cache.Add("q", new byte[700], maxAge: 60);

        Assert.Equal(1, cache.Count);
        Assert.Equal(700 + 2 + DnsAnswerCache.EntryOverhead, cache.Bytes);
    }
}
