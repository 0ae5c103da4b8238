using System.Net;

namespace Services.Doc.Upstream;

/// <summary>Where the upstream servers are: the configured list, else the nameservers of /etc/resolv.conf.</summary>
internal static class UpstreamServers
{
    public const int DnsPort = 53;
    private const string ResolvConf = "/etc/resolv.conf";

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

    public static IReadOnlyList<IPEndPoint> Resolve(IReadOnlyList<string> configured)
    {
        var servers = new List<IPEndPoint>();
        foreach (var text in configured)
        {
            if (TryParse(text, out var endPoint))
            {
                servers.Add(endPoint);
            }
        }

        return servers.Count > 0 ? servers : FromResolvConf();
    }

    private static List<IPEndPoint> FromResolvConf()
    {
        var servers = new List<IPEndPoint>();
        if (File.Exists(ResolvConf))
        {
            foreach (var line in File.ReadLines(ResolvConf))
            {
                var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (fields is ["nameserver", var server, ..] && IPAddress.TryParse(server.Split('%')[0], out var address))
                {
                    servers.Add(new IPEndPoint(address, DnsPort));
                }
            }
        }

        return servers.Count > 0 ? servers : [new IPEndPoint(IPAddress.Loopback, DnsPort)];
    }
}
