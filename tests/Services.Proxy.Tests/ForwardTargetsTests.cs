using Coap.Engine.Protocol;

namespace Services.Proxy.Tests;

/// <summary>The forward targets by Proxy-Uri: parsed once, looked up without allocating, bounded.</summary>
public sealed class ForwardTargetsTests
{
    private static CoapMessage Request(string proxyUri)
    {
        var request = new CoapMessage { Code = CoapCode.Get };
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, proxyUri));
        return request;
    }

    [Fact]
    public void A_Proxy_Uri_asked_again_is_the_same_target_found_without_allocating()
    {
        var targets = new ForwardTargets();
        var request = Request("coap://127.0.0.1:5683/sensors/temp?unit=c");

        var first = targets.Find(request, out var error);
        targets.Find(request, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = targets.Find(request, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(error);
        Assert.NotNull(first);
        Assert.Same(first, again);
        Assert.Equal(0, allocated);
        Assert.Equal("coap://127.0.0.1:5683/sensors/temp?unit=c", first.Uri);
        Assert.Equal(["sensors", "temp"], first.UriOptions.Where(o => o.Number == OptionNumber.UriPath).Select(o => o.GetString()));
        Assert.NotNull(first.Endpoint);
        Assert.NotSame(first, targets.Find(Request("coap://127.0.0.1:5683/sensors/hum"), out _));
    }

    [Fact]
    public void Bad_Proxy_Uris_are_refused_every_time_and_the_table_stays_bounded()
    {
        var targets = new ForwardTargets();

        Assert.Null(targets.Find(Request("http://example.com/"), out var first));
        Assert.Null(targets.Find(Request("http://example.com/"), out var second));
        Assert.Equal(CoapCode.ProxyingNotSupported, first!.Code);
        Assert.Equal(CoapCode.ProxyingNotSupported, second!.Code);
        Assert.Equal(0, targets.Count);

        for (var i = 0; i < 3000; i++)
        {
            Assert.NotNull(targets.Find(Request($"coap://127.0.0.1:5683/n{i}"), out _));
        }

        Assert.InRange(targets.Count, 1, 1024);
    }
}
