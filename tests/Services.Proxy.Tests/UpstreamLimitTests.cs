using System.Text;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>MaxInFlightPerUpstream and QueuePerUpstream: a slow upstream never sees more requests at once than allowed.</summary>
public sealed class UpstreamLimitTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task With_one_in_flight_and_no_queue_a_second_request_gets_5_03_with_Max_Age()
    {
        var slow = new SlowUpstream();
        await using var harness = ProxyHarness.Start(tree => tree.Map("slow", slow.Resource), new Dictionary<string, string?>
        {
            ["Modules:Proxy:MaxInFlightPerUpstream"] = "1",
            ["Modules:Proxy:QueuePerUpstream"] = "0",
            ["Modules:Proxy:BusyMaxAge"] = "00:00:05",
            ["Modules:Proxy:Cache"] = "false",
        });
        await using var other = new Coap.Engine.Client.CoapClient();

        var first = harness.ForwardAsync(CoapCode.Get, "slow");
        await slow.Entered.WaitAsync(Bound);
        var second = await other.SendAsync(harness.ForwardRequest(CoapCode.Get, "slow"), harness.ProxyEndPoint).WaitAsync(Bound);
        slow.Release();
        var answered = await first.WaitAsync(Bound);

        Assert.Equal(CoapCode.ServiceUnavailable, second.Code);
        Assert.Equal(5u, second.MaxAge);
        Assert.Contains("busy", Encoding.UTF8.GetString(second.Payload.Span), StringComparison.Ordinal);
        Assert.Equal(CoapCode.Content, answered.Code);
        Assert.Equal(1, slow.MostAtOnce);
    }

    [Fact]
    public async Task With_a_queue_the_second_request_waits_and_the_upstream_still_sees_one_at_a_time()
    {
        var slow = new SlowUpstream();
        await using var harness = ProxyHarness.Start(tree => tree.Map("slow", slow.Resource), new Dictionary<string, string?>
        {
            ["Modules:Proxy:MaxInFlightPerUpstream"] = "1",
            ["Modules:Proxy:QueuePerUpstream"] = "4",
            ["Modules:Proxy:Cache"] = "false",
        });
        await using var other = new Coap.Engine.Client.CoapClient();

        var first = harness.ForwardAsync(CoapCode.Get, "slow");
        await slow.Entered.WaitAsync(Bound);
        var second = other.SendAsync(harness.ForwardRequest(CoapCode.Get, "slow"), harness.ProxyEndPoint);
        slow.Release();
        var answers = await Task.WhenAll(first, second).WaitAsync(Bound);

        Assert.All(answers, answer => Assert.Equal(CoapCode.Content, answer.Code));
        Assert.Equal(2, slow.Calls);
        Assert.Equal(1, slow.MostAtOnce);
    }
}
