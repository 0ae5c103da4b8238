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

    /// <summary>An IPv4 peer reached over an IPv6 socket as its IPv4 address, so that one peer has one address.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public bool Allows(IPAddress address)
    {
        address = Normalize(address);

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
