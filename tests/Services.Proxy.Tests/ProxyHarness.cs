using System.Globalization;
using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>
/// An upstream (an engine server on its own UDP port with the test's resources), the proxy module on another
/// (route "up" to the upstream), and a client; everything on loopback.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private ProxyHarness(CoapEndpoint upstream, UdpModuleServer proxy)
    {
        Upstream = upstream;
        Proxy = proxy;
        Client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(20) });
    }

    public CoapEndpoint Upstream { get; }

    public UdpModuleServer Proxy { get; }

    public CoapClient Client { get; }

    public int UpstreamPort => Upstream.LocalEndPoints[0].Port;

    public IPEndPoint ProxyEndPoint => new(IPAddress.Loopback, Proxy.Port);

    public static ProxyHarness Start(Action<ResourceTree> upstream, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var tree = new ResourceTree();
        upstream(tree);
        var endpoint = TestEndpoints.StartUdpServer(tree);
        var all = new Dictionary<string, string?>
        {
            ["Modules:Proxy:Routes:up"] = $"coap://127.0.0.1:{endpoint.LocalEndPoints[0].Port.ToString(CultureInfo.InvariantCulture)}",
            ["Modules:Proxy:Identity"] = "gw-test",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new ProxyHarness(endpoint, new UdpModuleServer(new ProxyModule(), all, time));
    }

    /// <summary>"coap://127.0.0.1:{upstream port}/{path}".</summary>
    public string UpstreamUri(string path) => $"coap://127.0.0.1:{UpstreamPort.ToString(CultureInfo.InvariantCulture)}/{path}";

    /// <summary>A request to the proxy naming <paramref name="path"/> of the upstream in Proxy-Uri.</summary>
    public CoapMessage ForwardRequest(CoapCode method, string path, ReadOnlyMemory<byte> payload = default)
    {
        var request = Client.NewRequest(method, payload, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, UpstreamUri(path)));
        return request;
    }

    public Task<CoapMessage> SendAsync(CoapMessage request) => Client.SendAsync(request, ProxyEndPoint);

    public Task<CoapMessage> ForwardAsync(CoapCode method, string path) => SendAsync(ForwardRequest(method, path));

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
