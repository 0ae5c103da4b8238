using System.Net;
using System.Net.Sockets;

namespace Coap.Engine.Server.Access;

/// <summary>What kind of requester the access policy sees.</summary>
public enum PrincipalKind
{
    /// <summary>No identity: plain CoAP from anywhere but a trusted loopback peer.</summary>
    Anonymous,

    /// <summary>Plain CoAP from loopback while <c>Access:TrustLoopback</c> is true: treated as authenticated.</summary>
    Loopback,

    /// <summary>An identity a secured transport authenticated (a DTLS PSK identity, a certificate's subject).</summary>
    Identity,
}

/// <summary>The requester as the access policy judges it: its kind and, for <see cref="PrincipalKind.Identity"/>, its name.</summary>
public readonly record struct Principal(PrincipalKind Kind, string? Identity)
{
    public static Principal Anonymous { get; } = new(PrincipalKind.Anonymous, null);

    public static Principal Loopback { get; } = new(PrincipalKind.Loopback, null);

    /// <summary>An identity or a trusted loopback peer.</summary>
    public bool IsAuthenticated => Kind != PrincipalKind.Anonymous;

    /// <summary>
    /// The text that names this requester as the owner of something it created (a topic): "identity:alice" or
    /// "loopback"; null for an anonymous requester, which is nobody in particular.
    /// </summary>
    public string? Owner => Kind switch
    {
        PrincipalKind.Identity => "identity:" + Identity,
        PrincipalKind.Loopback => "loopback",
        _ => null,
    };

    public override string ToString() => Owner ?? "anonymous";

    /// <summary>
    /// Loopback as the terminal's peer gate judges it: an IPv6 address only when it is ::1 (an IPv4-mapped 127.0.0.1
    /// on a socket that is not dual mode stays IPv6), an IPv4 address anywhere in 127.0.0.0/8.
    /// </summary>
    public static bool IsLoopback(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? address.Equals(IPAddress.IPv6Loopback) : IPAddress.IsLoopback(address);
}
