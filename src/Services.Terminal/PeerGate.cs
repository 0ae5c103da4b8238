using System.Net;
using System.Net.Sockets;

namespace Services.Terminal;

/// <summary>
/// Who may use the terminal until real authentication exists: peers on loopback and in
/// <see cref="TerminalOptions.AllowedPeers"/>. The address is judged as the engine presents it: an IPv4 peer reached
/// through a dual-mode socket is already IPv4 there; an IPv4-mapped address (::ffff:a.b.c.d) on any other socket is
/// an IPv6 address and never passes for the IPv4 one, neither as loopback nor for an IPv4 network.
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
        if (address.AddressFamily == AddressFamily.InterNetworkV6 ? address.Equals(IPAddress.IPv6Loopback) : IPAddress.IsLoopback(address))
        {
            return true;
        }

        foreach (var network in _networks)
        {
            // IPNetwork.Contains takes ::ffff:192.0.2.7 for a member of 192.0.2.0/24; the families must match here.
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
