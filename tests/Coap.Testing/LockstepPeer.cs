using System.Net;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Testing;

/// <summary>
/// Plays the remote side of an endpoint byte for byte: send exactly this, expect exactly that (Californium's
/// lockstep style). Expectations fail at once instead of waiting, since in-memory processing is synchronous.
/// </summary>
public sealed class LockstepPeer
{
    private readonly InMemoryTransport _transport;

    public LockstepPeer(InMemoryTransport transport, IPEndPoint? endPoint = null)
    {
        _transport = transport;
        EndPoint = endPoint ?? new IPEndPoint(IPAddress.Loopback, 40000);
    }

    public IPEndPoint EndPoint { get; }

    public void Send(CoapMessage message) => _transport.Deliver(CoapMessageWriter.ToArray(message), EndPoint);

    public void SendRaw(byte[] datagram) => _transport.Deliver(datagram, EndPoint);

    /// <summary>The next message the endpoint sent; throws when nothing was sent.</summary>
    public CoapMessage Expect()
    {
        if (!_transport.TryTake(out var sent))
        {
            throw new InvalidOperationException("Expected a message, but the endpoint sent nothing.");
        }

        return Check(sent!);
    }

    /// <summary>
    /// The next message, waiting up to fifteen seconds of real time for a handler that completes later (one that waits
    /// for a process to end, say, on a busy machine).
    /// </summary>
    public async Task<CoapMessage> ExpectAsync() => Check(await _transport.NextAsync(TimeSpan.FromSeconds(15)));

    /// <summary>Fails when the endpoint sent anything.</summary>
    public void ExpectNothing()
    {
        if (_transport.TryTake(out var sent))
        {
            throw new InvalidOperationException($"Expected nothing, but the endpoint sent {sent!.Decode()}.");
        }
    }

    private CoapMessage Check(SentDatagram sent)
    {
        var to = AsIPv4(sent.Remote);
        return to.Equals(AsIPv4(EndPoint)) ? sent.Decode() : throw new InvalidOperationException($"A datagram went to {to}, not to {EndPoint}.");
    }

    private static IPEndPoint AsIPv4(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
