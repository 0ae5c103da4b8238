using System.Collections.Concurrent;
using System.Net;

namespace Coap.Testing;

/// <summary>
/// Connects in-memory transports by address. Each datagram is delivered on the thread pool, as a real network
/// would, so a reply never re-enters the sender's stack. A drop filter can lose chosen datagrams.
/// </summary>
public sealed class InMemoryNetwork
{
    private readonly ConcurrentDictionary<IPEndPoint, InMemoryTransport> _transports = new();

    /// <summary>Returns true for a datagram (bytes, from, to) that the network should lose.</summary>
    public Func<byte[], IPEndPoint, IPEndPoint, bool>? Drop { get; set; }

    internal void Add(InMemoryTransport transport) => _transports[transport.LocalEndPoint] = transport;

    internal void Remove(InMemoryTransport transport) => _transports.TryRemove(transport.LocalEndPoint, out _);

    internal void Route(InMemoryTransport from, byte[] datagram, IPEndPoint to)
    {
        if (Drop?.Invoke(datagram, from.LocalEndPoint, to) == true || !_transports.TryGetValue(Normalize(to), out var target))
        {
            return;
        }

        ThreadPool.QueueUserWorkItem(_ => target.Arrive(datagram, from.LocalEndPoint));
    }

    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
