using System.Text;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>The Max-Age cache (RFC 7252 §5.6, §5.7.1), its clock moved by the test.</summary>
public sealed class CacheTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Ten_GETs_within_Max_Age_reach_the_upstream_once_and_one_after_it_again()
    {
        var time = new FakeTimeProvider();
        var counting = TestResource.Text("v");
        await using var harness = ProxyHarness.Start(tree => tree.Map("c", counting), time: time);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(CoapCode.Content, (await harness.ForwardAsync(CoapCode.Get, "c").WaitAsync(Bound)).Code);
        }

        var callsWithinMaxAge = counting.Calls;
        time.Advance(TimeSpan.FromSeconds(61));
        await harness.ForwardAsync(CoapCode.Get, "c").WaitAsync(Bound);

        Assert.Equal(1, callsWithinMaxAge);
        Assert.Equal(2, counting.Calls);
        var cache = (ProxyCache)harness.Proxy.Services.GetService(typeof(ProxyCache))!;
        Assert.Equal(9, cache.Hits);
    }

    [Fact]
    public async Task A_cached_answer_carries_Max_Age_lowered_by_its_age()
    {
        var time = new FakeTimeProvider();
        await using var harness = ProxyHarness.Start(tree => tree.Map("m", new TestResource(_ =>
        {
            var response = CoapMessage.CreateResponse(CoapCode.Content, "m"u8.ToArray());
            response.MaxAge = 30;
            return ValueTask.FromResult(response);
        })), time: time);

        var first = await harness.ForwardAsync(CoapCode.Get, "m").WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(12));
        var aged = await harness.ForwardAsync(CoapCode.Get, "m").WaitAsync(Bound);

        Assert.Equal(30u, first.MaxAge);
        Assert.Equal(18u, aged.MaxAge);
    }

    [Fact]
    public async Task A_stale_entry_with_an_ETag_is_revalidated_and_a_2_03_refreshes_it()
    {
        var time = new FakeTimeProvider();
        var seenETags = new List<string>();
        var bodies = 0;
        await using var harness = ProxyHarness.Start(tree => tree.Map("e", new TestResource(context =>
        {
            var etag = context.Request.Options.TryGet(OptionNumber.ETag, out var option) ? Encoding.ASCII.GetString(option.Value.Span) : "-";
            lock (seenETags)
            {
                seenETags.Add(etag);
            }

            CoapMessage response;
            if (etag == "v1")
            {
                response = CoapMessage.CreateResponse(CoapCode.Valid);
            }
            else
            {
                Interlocked.Increment(ref bodies);
                response = CoapMessage.CreateResponse(CoapCode.Content, "body-v1"u8.ToArray());
            }

            response.Options.Add(new CoapOption(OptionNumber.ETag, "v1"u8.ToArray()));
            response.MaxAge = 10;
            return ValueTask.FromResult(response);
        })), time: time);

        await harness.ForwardAsync(CoapCode.Get, "e").WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(11));
        var revalidated = await harness.ForwardAsync(CoapCode.Get, "e").WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(5));
        var fresh = await harness.ForwardAsync(CoapCode.Get, "e").WaitAsync(Bound);

        Assert.Equal(["-", "v1"], seenETags);
        Assert.Equal(1, bodies);
        Assert.Equal(CoapCode.Content, revalidated.Code);
        Assert.Equal("body-v1", Encoding.UTF8.GetString(revalidated.Payload.Span));
        Assert.Equal(5u, fresh.MaxAge);
    }

    [Fact]
    public async Task A_client_ETag_matching_the_entry_gets_2_03_from_the_cache()
    {
        var time = new FakeTimeProvider();
        var resource = new TestResource(_ =>
        {
            var response = CoapMessage.CreateResponse(CoapCode.Content, "tagged"u8.ToArray());
            response.Options.Add(new CoapOption(OptionNumber.ETag, "t7"u8.ToArray()));
            return ValueTask.FromResult(response);
        });
        await using var harness = ProxyHarness.Start(tree => tree.Map("t", resource), time: time);

        await harness.ForwardAsync(CoapCode.Get, "t").WaitAsync(Bound);
        var conditional = harness.ForwardRequest(CoapCode.Get, "t");
        conditional.Options.Add(new CoapOption(OptionNumber.ETag, "t7"u8.ToArray()));
        var valid = await harness.SendAsync(conditional).WaitAsync(Bound);

        Assert.Equal(CoapCode.Valid, valid.Code);
        Assert.True(valid.Payload.IsEmpty);
        Assert.Equal(1, resource.Calls);
    }

    [Fact]
    public async Task An_unsafe_method_invalidates_the_URI_and_Accept_is_part_of_the_key()
    {
        var time = new FakeTimeProvider();
        var resource = new TestResource(context => ValueTask.FromResult(context.Request.Code == CoapCode.Get
            ? CoapMessage.CreateResponse(CoapCode.Content, "x"u8.ToArray())
            : CoapMessage.CreateResponse(CoapCode.Changed)));
        await using var harness = ProxyHarness.Start(tree => tree.Map("p", resource), time: time);

        await harness.ForwardAsync(CoapCode.Get, "p").WaitAsync(Bound);
        var withAccept = harness.ForwardRequest(CoapCode.Get, "p");
        withAccept.Accept = ContentFormat.TextPlain;
        await harness.SendAsync(withAccept).WaitAsync(Bound);
        await harness.ForwardAsync(CoapCode.Get, "p").WaitAsync(Bound);
        var callsBeforePut = resource.Calls;
        await harness.ForwardAsync(CoapCode.Put, "p").WaitAsync(Bound);
        await harness.ForwardAsync(CoapCode.Get, "p").WaitAsync(Bound);

        Assert.Equal(2, callsBeforePut);
        Assert.Equal(4, resource.Calls);
    }

    [Fact]
    public void The_cache_is_bounded_in_bytes_and_drops_the_least_recently_used_first()
    {
        var time = new FakeTimeProvider();
        using var cache = new ProxyCache(1200, time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var body = new byte[300];

        cache.Store("a", "coap://h/a", CoapMessage.CreateResponse(CoapCode.Content, body));
        cache.Store("b", "coap://h/b", CoapMessage.CreateResponse(CoapCode.Content, body));
        cache.Find("a");
        cache.Store("c", "coap://h/c", CoapMessage.CreateResponse(CoapCode.Content, body));

        Assert.NotNull(cache.Find("a"));
        Assert.Null(cache.Find("b"));
        Assert.NotNull(cache.Find("c"));
        Assert.True(cache.Bytes <= 1200);
    }
}
