using System.Net;

namespace Services.Terminal;

/// <summary>
/// Who may use the terminal until real authentication exists: peers on loopback and in
/// <see cref="TerminalOptions.AllowedPeers"/>. IPv4 peers reached over an IPv6 socket (::ffff:a.b.c.d) are judged by
/// their IPv4 address.
/// </summary>
internal sealed class PeerGate
{
    private readonly IPNetwork[] _networks;

    public PeerGate(IEnumerable<string> allowed)
    {
        _networks = [.. allowed.Select(IPNetwork.Parse)];
    }

    public bool Allows(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
