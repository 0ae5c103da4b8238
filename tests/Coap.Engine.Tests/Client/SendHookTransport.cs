using System.Net;
using System.Net.Sockets;
using Coap.Engine.Transport;
using Coap.Testing;

namespace Coap.Engine.Tests.Client;

/// <summary>
/// An <see cref="InMemoryTransport"/> that runs <see cref="AfterSend"/> once a datagram is sent, before Send returns:
/// lets a test make a datagram arrive at a precise point of the sender's work (right after it sent something).
/// </summary>
internal sealed class SendHookTransport(InMemoryTransport inner) : IDatagramTransport
{
    /// <summary>Runs after each datagram sent, on the sending thread.</summary>
    public Action? AfterSend { get; set; }

    public IPEndPoint LocalEndPoint => inner.LocalEndPoint;

    public void Start(IDatagramReceiver receiver) => inner.Start(receiver);

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        inner.Send(datagram, remote);
        AfterSend?.Invoke();
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
