using Coap.Engine.Protocol;
using Coap.Testing;
using Microsoft.Extensions.Options;

namespace Services.Proxy.Tests;

/// <summary>
/// "Modules:Proxy:Upstreams:{name}": one upstream (a route's, or one named by Uri) gets its own Timeout and in-flight
/// limit (and ACK_TIMEOUT, MAX_RETRANSMIT) while the others keep the proxy-wide ones.
/// </summary>
public sealed class UpstreamSettingsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_route_of_its_own_is_serialised_although_the_proxy_wide_limit_is_higher()
    {
        var slow = new SlowUpstream();
        await using var harness = ProxyHarness.Start(tree => tree.Map("slow", slow.Resource), new Dictionary<string, string?>
        {
            ["Modules:Proxy:MaxInFlightPerUpstream"] = "8",
            ["Modules:Proxy:QueuePerUpstream"] = "0",
            ["Modules:Proxy:Upstreams:up:MaxInFlight"] = "1",
            ["Modules:Proxy:Cache"] = "false",
        });
        await using var other = new Coap.Engine.Client.CoapClient();

        var first = harness.ForwardAsync(CoapCode.Get, "slow");
        await slow.Entered.WaitAsync(Bound);
        var second = await other.SendAsync(harness.ForwardRequest(CoapCode.Get, "slow"), harness.ProxyEndPoint).WaitAsync(Bound);
        slow.Release();

        Assert.Equal(CoapCode.ServiceUnavailable, second.Code);
        Assert.Equal(CoapCode.Content, (await first.WaitAsync(Bound)).Code);
    }

    [Fact]
    public async Task An_upstream_named_by_Uri_gets_its_own_Timeout()
    {
        var slow = new SlowUpstream();
        await using var harness = ProxyHarness.Start(tree => tree.Map("slow", slow.Resource), new Dictionary<string, string?>
        {
            ["Modules:Proxy:Timeout"] = "00:10:00",
            ["Modules:Proxy:Cache"] = "false",
        });
        await using var proxy = new UdpModuleServer(new ProxyModule(), new Dictionary<string, string?>
        {
            ["Modules:Proxy:Timeout"] = "00:10:00",
            ["Modules:Proxy:Upstreams:mesh:Uri"] = $"coap://127.0.0.1:{harness.UpstreamPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            ["Modules:Proxy:Upstreams:mesh:Timeout"] = "00:00:00.3",
            ["Modules:Proxy:Cache"] = "false",
        });

        var answer = await harness.Client.SendAsync(harness.ForwardRequest(CoapCode.Get, "slow"), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, proxy.Port)).WaitAsync(Bound);
        slow.Release();

        Assert.Equal(CoapCode.GatewayTimeout, answer.Code);
    }

    [Theory]
    [InlineData("nosuch", null, "Modules:Proxy:Upstreams:nosuch names no route")]
    [InlineData("dev", "http://example.com", "Modules:Proxy:Upstreams:dev:Uri must be a coap:// or coaps:// URI")]
    [InlineData("dev", "coaps://[fd00::17]", "Modules:Proxy:Upstreams:dev is coaps://: give the proxy's PSK identity and key in Modules:Proxy:Upstreams:dev:PskFile")]
    [InlineData("dev", "coap://[fd00::17]", "Modules:Proxy:Upstreams:dev:PskFile is for a coaps:// upstream", "/etc/proxy.psk")]
    public void A_bad_upstream_entry_is_refused_with_its_key(string name, string? uri, string expected, string? pskFile = null)
    {
        var options = new ProxyOptions();
        options.Upstreams[name] = new UpstreamOptions { Uri = uri, AckTimeout = TimeSpan.FromSeconds(20), PskFile = pskFile };

        var result = new ProxyOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coaps_route_without_a_psk_file_is_refused_with_its_key()
    {
        var options = new ProxyOptions();
        options.Routes["vault"] = "coaps://[fd00::17]";

        var result = new ProxyOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Modules:Proxy:Routes:vault is coaps://: give the proxy's PSK identity and key in Modules:Proxy:Upstreams:vault:PskFile", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_range_upstream_values_are_refused_with_their_keys()
    {
        var options = new ProxyOptions();
        options.Routes["mesh"] = "coap://[fd00::17]:5683";
        options.Upstreams["mesh"] = new UpstreamOptions { AckTimeout = TimeSpan.FromMinutes(10), MaxRetransmit = 11, MaxInFlight = 0, Timeout = TimeSpan.Zero };

        var result = new ProxyOptionsValidator().Validate(null, options);

        Assert.Contains("Modules:Proxy:Upstreams:mesh:AckTimeout", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Modules:Proxy:Upstreams:mesh:MaxRetransmit", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Modules:Proxy:Upstreams:mesh:MaxInFlight", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Modules:Proxy:Upstreams:mesh:Timeout", result.FailureMessage, StringComparison.Ordinal);
    }
}
