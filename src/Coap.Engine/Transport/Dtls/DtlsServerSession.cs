using System.Net;
using Org.BouncyCastle.Tls;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// One DTLS peer of a <see cref="DtlsServerTransport"/>, and BouncyCastle's <see cref="DatagramTransport"/> for it.
/// During the handshake, which blocks a handshake thread in <see cref="DtlsServerProtocol.Accept(TlsServer,
/// DatagramTransport, DtlsRequest)"/>, the peer's datagrams wait in a small queue that the handshake's reads block on.
/// Once it is established the session is pumped: the thread that received a datagram lends it to the session and asks
/// BouncyCastle for the record it holds (<see cref="Pump"/>), so an established session costs no thread. After
/// <see cref="Close"/> every read throws <see cref="IOException"/>, which ends BouncyCastle's read loop at once.
/// </summary>
internal sealed class DtlsServerSession : DatagramTransport
{
    /// <summary>
    /// The largest DTLS datagram taken (BouncyCastle allocates a buffer this large for each read): a CoAP message with a
    /// 1024-byte block, its options and the record's overhead fit with room to spare; larger datagrams are dropped.
    /// </summary>
    public const int ReceiveLimit = 2048;

    /// <summary>The largest datagram sent: what one UDP datagram holds.</summary>
    private const int SendLimit = 65507;

    /// <summary>Datagrams that may wait for the handshake thread; more are dropped (the peer retransmits).</summary>
    private const int MaxQueued = 16;

    [ThreadStatic]
    private static byte[]? t_plain;

    private readonly UdpTransport _udp;
    private readonly Queue<byte[]> _queued = new();
    private readonly object _gate = new();
    private readonly Lock _pump = new();
    private byte[]? _current;
    private int _currentLength;
    private volatile bool _closed;
    private volatile bool _muted;
    private volatile DtlsTransport? _dtls;

    public DtlsServerSession(UdpTransport udp, SocketAddress remote, ReadOnlySpan<byte> clientRandom, CoapDtlsServer server)
    {
        _udp = udp;
        Remote = new SocketAddress(remote.Family, remote.Size);
        remote.Buffer.Span[..remote.Size].CopyTo(Remote.Buffer.Span);
        ClientRandom = clientRandom.ToArray();
        Server = server;
        Started = Environment.TickCount64;
        LastActivity = Started;
    }

    /// <summary>The peer's address; owned by the session.</summary>
    public SocketAddress Remote { get; }

    /// <summary>The random of the ClientHello that started the session: a ClientHello with the same one is a retransmission.</summary>
    public byte[] ClientRandom { get; }

    public CoapDtlsServer Server { get; }

    /// <summary>When the handshake started (<see cref="Environment.TickCount64"/>).</summary>
    public long Started { get; }

    /// <summary>
    /// The last datagram from the peer (<see cref="Environment.TickCount64"/>); what the server sends does not count, so
    /// a peer that vanished without close_notify is forgotten even while notifications still go to it.
    /// </summary>
    public long LastActivity { get; private set; }

    /// <summary>Whether the handshake finished; <see cref="Identity"/> is known from then on.</summary>
    public bool IsEstablished => _dtls is not null;

    /// <summary>Whether the session ended: closed by either side, failed, or replaced.</summary>
    public bool IsClosed => _closed;

    /// <summary>The PSK identity or certificate CN the peer authenticated with, once established.</summary>
    public string? Identity => _dtls is null ? null : Server.Identity;

    /// <summary>A datagram for the handshake thread (while the handshake runs).</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram)
    {
        LastActivity = Environment.TickCount64;
        lock (_gate)
        {
            if (!_closed && _queued.Count < MaxQueued)
            {
                _queued.Enqueue(datagram.ToArray());
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>
    /// The handshake finished: from now on the session is pumped; datagrams that came meanwhile are read now, on the
    /// handshake thread.
    /// </summary>
    public void Establish(DtlsTransport dtls, IDatagramReceiver receiver, IDatagramTransport transport)
    {
        lock (_pump)
        {
            _dtls = dtls;
            while (!_closed && HasQueued())
            {
                Read(dtls, receiver, transport);
            }
        }
    }

    /// <summary>
    /// Decrypts <paramref name="datagram"/> (held in <paramref name="buffer"/>) and hands its application data to
    /// <paramref name="receiver"/>; called by the receiving thread, one at a time per session.
    /// </summary>
    public void Pump(byte[] buffer, int length, IDatagramReceiver receiver, IDatagramTransport transport)
    {
        LastActivity = Environment.TickCount64;
        lock (_pump)
        {
            var dtls = _dtls;
            if (dtls is null)
            {
                Enqueue(buffer.AsSpan(0, length));
                return;
            }

            lock (_gate)
            {
                _current = buffer;
                _currentLength = length;
            }

            try
            {
                Read(dtls, receiver, transport);
            }
            finally
            {
                lock (_gate)
                {
                    _current = null;
                }
            }
        }
    }

    /// <summary>Encrypts and sends one datagram of the engine's; false when the session failed doing so.</summary>
    public bool Send(ReadOnlySpan<byte> datagram)
    {
        var dtls = _dtls;
        if (dtls is null || _closed)
        {
            return false;
        }

        try
        {
            dtls.Send(datagram);
            return true;
        }
        catch (IOException)
        {
            Close();
            return false;
        }
    }

    /// <summary>Ends the session politely (close_notify when established); the handshake, if any, ends at once.</summary>
    public void Shutdown()
    {
        var dtls = _dtls;
        if (dtls is not null && !_closed)
        {
            try
            {
                dtls.Close();
            }
            catch (IOException)
            {
            }
        }

        Close();
    }

    /// <summary>Ends the session without a word to the peer: a new session from the same address replaces it.</summary>
    public void Abandon()
    {
        _muted = true;
        Close();
    }

    int DatagramReceiver.GetReceiveLimit() => ReceiveLimit;

    int DatagramSender.GetSendLimit() => SendLimit;

    int DatagramReceiver.Receive(byte[] buf, int off, int len, int waitMillis) =>
        ((DatagramReceiver)this).Receive(buf.AsSpan(off, len), waitMillis);

    int DatagramReceiver.Receive(Span<byte> buffer, int waitMillis)
    {
        var deadline = Environment.TickCount64 + (waitMillis == 0 ? int.MaxValue : waitMillis);
        lock (_gate)
        {
            while (true)
            {
                if (_closed)
                {
                    throw new IOException("The DTLS session is closed.");
                }

                if (_current is { } current)
                {
                    _current = null;
                    return Copy(current.AsSpan(0, _currentLength), buffer);
                }

                if (_queued.TryDequeue(out var queued))
                {
                    return Copy(queued, buffer);
                }

                var remaining = deadline - Environment.TickCount64;
                if (_dtls is not null || remaining <= 0)
                {
                    return -1;
                }

                Monitor.Wait(_gate, (int)Math.Min(remaining, int.MaxValue));
            }
        }
    }

    void DatagramSender.Send(byte[] buf, int off, int len) => ((DatagramSender)this).Send(buf.AsSpan(off, len));

    void DatagramSender.Send(ReadOnlySpan<byte> buffer)
    {
        if (!_muted)
        {
            _udp.Send(buffer, Remote);
        }
    }

    /// <summary>BouncyCastle closes its transport on close_notify, on a fatal alert, and when we close it.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _queued.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    private bool HasQueued()
    {
        lock (_gate)
        {
            return _queued.Count > 0;
        }
    }

    /// <summary>Reads the record(s) of the datagram lent or queued, and any others it held, into the engine.</summary>
    private void Read(DtlsTransport dtls, IDatagramReceiver receiver, IDatagramTransport transport)
    {
        var plain = t_plain ??= new byte[ReceiveLimit];
        try
        {
            // A wait of 0 would be forever; 1 ms bounds the spin BouncyCastle makes over a record that is not data.
            var length = dtls.Receive(plain, 0, plain.Length, 1);
            while (length >= 0)
            {
                Deliver(receiver, transport, plain.AsSpan(0, length));
                length = dtls.ReceivePending(plain, 0, plain.Length);
            }
        }
        catch (IOException)
        {
            // close_notify (BouncyCastle closed us and our read threw), a fatal alert, or a failed record layer.
            Close();
        }
    }

    private void Deliver(IDatagramReceiver receiver, IDatagramTransport transport, ReadOnlySpan<byte> datagram)
    {
        try
        {
            receiver.OnDatagram(transport, datagram, Remote);
        }
        catch (Exception error)
        {
            receiver.OnTransportError(transport, error);
        }
    }

    private static int Copy(ReadOnlySpan<byte> datagram, Span<byte> buffer)
    {
        // A datagram larger than the buffer is reported by its length, which BouncyCastle takes as one to discard.
        if (datagram.Length <= buffer.Length)
        {
            datagram.CopyTo(buffer);
        }

        return datagram.Length;
    }
}
