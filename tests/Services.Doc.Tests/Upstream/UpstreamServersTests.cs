using System.Net;
using DnsClient;
using Services.Doc.Upstream;

namespace Services.Doc.Tests.Upstream;

/// <summary>Which servers the DoC service asks: the configured ones, else the machine's (DnsClient's discovery), else loopback.</summary>
public sealed class UpstreamServersTests
{
    private static IReadOnlyCollection<NameServer> NotAsked() => throw new InvalidOperationException("discovery asked although servers are configured");

    [Fact]
    public void Configured_servers_are_used_with_their_ports_and_the_machine_is_not_asked()
    {
        var servers = UpstreamServers.Resolve(["192.0.2.53", "192.0.2.54:5353", "[2001:db8::53]:53"], NotAsked);

        Assert.Equal(
            [IPEndPoint.Parse("192.0.2.53:53"), IPEndPoint.Parse("192.0.2.54:5353"), IPEndPoint.Parse("[2001:db8::53]:53")],
            servers);
    }

    [Fact]
    public void Without_configured_servers_the_discovered_name_servers_are_used_with_their_ports()
    {
        var servers = UpstreamServers.Resolve([], () => [new NameServer(IPAddress.Parse("192.0.2.1")), new NameServer(IPAddress.Parse("2001:db8::1"), 5353)]);

        Assert.Equal([IPEndPoint.Parse("192.0.2.1:53"), IPEndPoint.Parse("[2001:db8::1]:5353")], servers);
    }

    [Fact]
    public void When_nothing_is_configured_or_discovered_the_server_asks_loopback()
    {
        Assert.Equal([IPEndPoint.Parse("127.0.0.1:53")], UpstreamServers.Resolve([], () => []));
    }
}
