using System.Net;
using DnsClient;

namespace Services.Doc.Upstream;

/// <summary>
/// Where the upstream servers are: the configured list, else the machine's name servers as DnsClient's
/// <see cref="NameServer.ResolveNameServersNative"/> reads them (the <c>nameserver</c> lines of /etc/resolv.conf on
/// Linux and macOS), else 127.0.0.1.
/// </summary>
internal static class UpstreamServers
{
    public const int DnsPort = 53;

    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        if (IPAddress.TryParse(text, out var address) && !text.StartsWith('['))
        {
            endPoint = new IPEndPoint(address, DnsPort);
            return true;
        }

        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port != 0)
        {
            endPoint = parsed;
            return true;
        }

        endPoint = null!;
        return false;
    }

    public static IReadOnlyList<IPEndPoint> Resolve(IReadOnlyList<string> configured) => Resolve(configured, NameServer.ResolveNameServersNative);

    /// <summary>The configured servers; when none parses, the ones <paramref name="discover"/> finds, else 127.0.0.1.</summary>
    public static IReadOnlyList<IPEndPoint> Resolve(IReadOnlyList<string> configured, Func<IReadOnlyCollection<NameServer>> discover)
    {
        var servers = new List<IPEndPoint>();
        foreach (var text in configured)
        {
            if (TryParse(text, out var endPoint))
            {
                servers.Add(endPoint);
            }
        }

        if (servers.Count == 0)
        {
            servers.AddRange(discover().Select(server => new IPEndPoint(IPAddress.Parse(server.Address), server.Port)));
        }

        return servers.Count > 0 ? servers : [new IPEndPoint(IPAddress.Loopback, DnsPort)];
    }
}
