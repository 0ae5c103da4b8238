using System.Net;
using System.Net.Sockets;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;
using Coap.Testing.Programs;
using Coap.Engine.Server;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>Forward and reverse proxying (RFC 7252 §5.7) through the module to an engine upstream, on loopback.</summary>
public sealed class ForwardingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ProxyUri_is_forwarded_to_the_upstream()
    {
        await using var harness = ProxyHarness.Start(tree => tree.Map("hello", TestResource.Text("hi there")));

        var response = await harness.ForwardAsync(CoapCode.Get, "hello").WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("hi there", Encoding.UTF8.GetString(response.Payload.Span));
    }

    [Fact]
    public async Task Proxy_Scheme_with_Uri_Host_Port_Path_and_Query_is_forwarded()
    {
        string? seen = null;
        await using var harness = ProxyHarness.Start(tree => tree.Map("a/b", new TestResource(context =>
        {
            seen = string.Join('&', QueryOf(context.Request));
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes("ab")));
        })));
        var request = harness.Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyScheme, "coap"));
        request.Options.Add(CoapOption.FromString(OptionNumber.UriHost, "127.0.0.1"));
        request.Options.SetUInt(OptionNumber.UriPort, (uint)harness.UpstreamPort);
        request.Options.Add(CoapOption.FromString(OptionNumber.UriPath, "a"));
        request.Options.Add(CoapOption.FromString(OptionNumber.UriPath, "b"));
        request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, "x=1"));

        var response = await harness.SendAsync(request).WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("x=1", seen);
    }

    [Fact]
    public async Task A_reverse_route_maps_its_local_path_to_the_upstream()
    {
        await using var harness = ProxyHarness.Start(tree => tree.Map("sensors/temp", TestResource.Text("21.5")));

        var response = await harness.Client.GetAsync(harness.Proxy.Uri("dev/up/sensors/temp")).WaitAsync(Bound);
        var unknown = await harness.Client.GetAsync(harness.Proxy.Uri("dev/nosuch/x")).WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("21.5", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.Equal(CoapCode.NotFound, unknown.Code);
    }

    [Fact]
    public async Task With_forwarding_off_Proxy_Uri_gets_5_05()
    {
        await using var harness = ProxyHarness.Start(tree => tree.Map("hello", TestResource.Text("hi")), new Dictionary<string, string?> { ["Modules:Proxy:Forward"] = "false" });

        var response = await harness.ForwardAsync(CoapCode.Get, "hello").WaitAsync(Bound);

        Assert.Equal(CoapCode.ProxyingNotSupported, response.Code);
    }

    [Fact]
    public async Task Safe_unknown_options_pass_and_an_unknown_critical_unsafe_one_is_refused()
    {
        const ushort safeElective = 2052;
        const ushort unsafeCritical = 2051;
        string? seen = null;
        await using var harness = ProxyHarness.Start(tree => tree.Map("o", new TestResource(context =>
        {
            seen = context.Request.Options.TryGet(safeElective, out var option) ? option.GetString() : "absent";
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
        })));

        var safe = harness.ForwardRequest(CoapCode.Get, "o");
        safe.Options.Add(CoapOption.FromString(safeElective, "kept"));
        var forwarded = await harness.SendAsync(safe).WaitAsync(Bound);
        var critical = harness.ForwardRequest(CoapCode.Get, "o");
        critical.Options.Add(CoapOption.FromString(unsafeCritical, "x"));
        var refused = await harness.SendAsync(critical).WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, forwarded.Code);
        Assert.Equal("kept", seen);
        Assert.Equal(CoapCode.BadOption, refused.Code);
    }

    [Fact]
    public async Task An_unknown_unsafe_option_in_the_upstream_answer_gets_5_02()
    {
        await using var harness = ProxyHarness.Start(tree => tree.Map("odd", new TestResource(_ =>
        {
            var response = CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes("x"));
            response.Options.Add(CoapOption.FromString(2050, "unsafe"));
            return ValueTask.FromResult(response);
        })));

        var response = await harness.ForwardAsync(CoapCode.Get, "odd").WaitAsync(Bound);

        Assert.Equal(CoapCode.BadGateway, response.Code);
        Assert.Contains("2050", Encoding.UTF8.GetString(response.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hop_Limit_is_added_when_absent_and_decremented_when_present()
    {
        var seen = new List<uint?>();
        await using var harness = ProxyHarness.Start(tree => tree.Map("h", new TestResource(context =>
        {
            lock (seen)
            {
                seen.Add(context.Request.Options.GetUInt(OptionNumber.HopLimit));
            }

            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
        })), new Dictionary<string, string?> { ["Modules:Proxy:Cache"] = "false" });

        await harness.ForwardAsync(CoapCode.Get, "h").WaitAsync(Bound);
        var six = harness.ForwardRequest(CoapCode.Get, "h");
        six.Options.SetUInt(OptionNumber.HopLimit, 6);
        await harness.SendAsync(six).WaitAsync(Bound);
        var one = harness.ForwardRequest(CoapCode.Get, "h");
        one.Options.SetUInt(OptionNumber.HopLimit, 1);
        var spent = await harness.SendAsync(one).WaitAsync(Bound);

        Assert.Equal([16u, 5u], seen);
        Assert.Equal(CoapCode.HopLimitReached, spent.Code);
        Assert.Contains("gw-test", Encoding.UTF8.GetString(spent.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_to_the_proxy_itself_ends_with_5_08_not_a_storm()
    {
        // The module's tree is served a second time on a port chosen first, which its one route names: a loop.
        var port = Tool.FreeUdpPort();
        await using var proxy = new UdpModuleServer(new ProxyModule(), new Dictionary<string, string?>
        {
            ["Modules:Proxy:Identity"] = "gw-self",
            ["Modules:Proxy:HopLimit"] = "4",
            ["Modules:Proxy:Cache"] = "false",
            ["Modules:Proxy:Routes:self"] = $"coap://127.0.0.1:{port}/dev/self",
        });
        await using var looped = TestEndpoints.StartServer(proxy.Tree, UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, port)));
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(30) });

        var response = await client.GetAsync($"coap://127.0.0.1:{port}/dev/self/x").WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(CoapCode.HopLimitReached, response.Code);
        Assert.Contains("gw-self", Encoding.UTF8.GetString(response.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_that_never_answers_gets_5_04()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.LocalEndPoint!).Port;
        await using var harness = ProxyHarness.Start(_ => { }, new Dictionary<string, string?> { ["Modules:Proxy:Timeout"] = "00:00:01" });
        var request = harness.Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, $"coap://127.0.0.1:{port}/x"));

        var response = await harness.SendAsync(request).WaitAsync(Bound);

        Assert.Equal(CoapCode.GatewayTimeout, response.Code);
    }

    [Fact]
    public async Task An_upstream_that_resets_gets_5_02()
    {
        using var resetter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        resetter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)resetter.LocalEndPoint!).Port;
        using var stop = new CancellationTokenSource();
        var answering = Task.Run(async () =>
        {
            var buffer = new byte[1500];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            while (!stop.IsCancellationRequested)
            {
                var received = await resetter.ReceiveFromAsync(buffer, SocketFlags.None, from, stop.Token);
                byte[] reset = [0x70, 0x00, buffer[2], buffer[3]];
                await resetter.SendToAsync(reset, SocketFlags.None, received.RemoteEndPoint);
            }
        });
        await using var harness = ProxyHarness.Start(_ => { });
        var request = harness.Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, $"coap://127.0.0.1:{port}/x"));

        var response = await harness.SendAsync(request).WaitAsync(Bound);
        await stop.CancelAsync();

        Assert.Equal(CoapCode.BadGateway, response.Code);
    }

    private static List<string> QueryOf(CoapMessage request)
    {
        var parts = new List<string>();
        foreach (var option in request.Options.GetAll(OptionNumber.UriQuery))
        {
            parts.Add(option.GetString());
        }

        return parts;
    }
}
