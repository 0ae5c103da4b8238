using System.Net;
using Org.BouncyCastle.Tls;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// What BouncyCastle's DTLS client reads from and writes to for one server: datagrams from that server are queued
/// here by the socket's receive thread (a few at most; more are dropped like lost datagrams), records go out through
/// the shared socket. Once closed, every receive throws <see cref="IOException"/>, which ends BouncyCastle's receive
/// loop at once (returning -1 would make it spin until its wait runs out).
/// </summary>
internal sealed class DtlsClientLink : DatagramTransport
{
    /// <summary>Datagrams held for the handshake or the next pump; a server that floods us loses the excess.</summary>
    private const int MaxQueued = 64;

    /// <summary>
    /// The smallest receive buffer offered: BouncyCastle allocates one of this size per receive call, so it follows
    /// the datagram waiting rather than the largest possible one.
    /// </summary>
    private const int MinReceiveLimit = 4096;

    /// <summary>The largest datagram sent: what one UDP datagram over IPv4 carries.</summary>
    private const int SendLimit = 65507;

    private readonly Queue<byte[]> _queue = new();
    private readonly IDatagramTransport _socket;
    private readonly SocketAddress _remote;
    private bool _closed;

    public DtlsClientLink(IDatagramTransport socket, SocketAddress remote)
    {
        _socket = socket;
        _remote = remote;
    }

    /// <summary>Whether the server has sent anything at all: a handshake that timed out after it did had a wrong key.</summary>
    public bool Answered { get; private set; }

    /// <summary>Whether the link was closed: by the session, or by BouncyCastle when the session ended.</summary>
    public bool Closed
    {
        get
        {
            lock (_queue)
            {
                return _closed;
            }
        }
    }

    /// <summary>Datagrams waiting.</summary>
    public int Pending
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues a datagram from the server; dropped when the link is closed or full.</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram)
    {
        lock (_queue)
        {
            if (_closed || _queue.Count >= MaxQueued)
            {
                return;
            }

            Answered = true;
            _queue.Enqueue(datagram.ToArray());
            Monitor.Pulse(_queue);
        }
    }

    public int GetReceiveLimit()
    {
        lock (_queue)
        {
            return _queue.TryPeek(out var next) ? Math.Max(next.Length, MinReceiveLimit) : MinReceiveLimit;
        }
    }

    public int GetSendLimit() => SendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>
    /// The next datagram, waiting up to <paramref name="waitMillis"/> (0: until one comes or the link closes); -1 when
    /// none came. A datagram longer than the buffer returns its full length, which BouncyCastle discards.
    /// </summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        lock (_queue)
        {
            if (_queue.Count == 0 && !_closed)
            {
                if (waitMillis == 0)
                {
                    Monitor.Wait(_queue);
                }
                else
                {
                    Monitor.Wait(_queue, waitMillis);
                }
            }

            if (_closed)
            {
                throw new IOException("The DTLS session is closed.");
            }

            if (!_queue.TryDequeue(out var datagram))
            {
                return -1;
            }

            datagram.AsSpan(0, Math.Min(datagram.Length, buffer.Length)).CopyTo(buffer);
            return datagram.Length;
        }
    }

    public void Send(byte[] buf, int off, int len) => _socket.Send(buf.AsSpan(off, len), _remote);

    public void Send(ReadOnlySpan<byte> buffer) => _socket.Send(buffer, _remote);

    public void Close()
    {
        lock (_queue)
        {
            _closed = true;
            _queue.Clear();
            Monitor.PulseAll(_queue);
        }
    }
}
