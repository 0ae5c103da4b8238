using System.Globalization;
using System.Net;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Testing;
using Coap.Testing.Programs;

namespace Services.Proxy.Tests;

/// <summary>
/// coaps:// upstreams: the proxy reaches a device over DTLS 1.2 with the pre-shared key of the upstream's own
/// "Modules:Proxy:Upstreams:{name}:PskFile" (libcoap's coap-server-openssl here), by route and by Proxy-Uri; a
/// coaps:// upstream it has no key for is 5.05, a handshake that fails (wrong key) 5.02.
/// </summary>
public sealed class CoapsUpstreamTests : IAsyncLifetime
{
    private const string Key = "proxy-upstream-secret";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-psk-").FullName;
    private LibcoapServer? _device;

    public async Task InitializeAsync() => _device = await LibcoapServer.StartPskAsync("coap-server-openssl", Key);

    public async Task DisposeAsync()
    {
        if (_device is not null)
        {
            await _device.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_coaps_route_and_a_coaps_Proxy_Uri_reach_the_device_over_DTLS_with_the_upstreams_key()
    {
        await using var proxy = StartProxy(KeyFile("gateway=" + Key));
        await using var client = new CoapClient(new CoapClientOptions { Timeout = Bound });

        var byRoute = await client.GetAsync(proxy.Uri("dev/vault/time")).WaitAsync(Bound);
        var byProxyUri = await Forward(client, proxy, _device!.SecureUri("time")).WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, byRoute.Code);
        Assert.False(byRoute.Payload.IsEmpty);
        Assert.Equal(CoapCode.Content, byProxyUri.Code);
    }

    [Fact]
    public async Task A_coaps_upstream_without_a_key_is_5_05_and_a_wrong_key_5_02()
    {
        await using var proxy = StartProxy(KeyFile("gateway=not-the-key"));
        await using var client = new CoapClient(new CoapClientOptions { Timeout = Bound });

        var unknown = await Forward(client, proxy, "coaps://127.0.0.1:5999/time").WaitAsync(Bound);
        var refused = await client.GetAsync(proxy.Uri("dev/vault/time")).WaitAsync(Bound);

        Assert.Equal(CoapCode.ProxyingNotSupported, unknown.Code);
        Assert.Contains("no DTLS credentials for coaps://127.0.0.1:5999", Encoding.UTF8.GetString(unknown.Payload.Span), StringComparison.Ordinal);
        Assert.Equal(CoapCode.BadGateway, refused.Code);
    }

    private UdpModuleServer StartProxy(string keyFile) => new(new ProxyModule(), new Dictionary<string, string?>
    {
        ["Modules:Proxy:Routes:vault"] = _device!.SecureUri(string.Empty).TrimEnd('/'),
        ["Modules:Proxy:Upstreams:vault:PskFile"] = keyFile,
        ["Modules:Proxy:Upstreams:vault:Timeout"] = "00:00:10",
        ["Modules:Proxy:Identity"] = "gw-test",
        ["Modules:Proxy:Cache"] = "false",
    });

    private static Task<CoapMessage> Forward(CoapClient client, UdpModuleServer proxy, string target)
    {
        var request = client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, target));
        return client.SendAsync(request, new IPEndPoint(IPAddress.Loopback, proxy.Port));
    }

    private string KeyFile(string line)
    {
        var path = Path.Combine(_directory, "upstream-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".psk");
        File.WriteAllText(path, line + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
