using System.Net;
using Org.BouncyCastle.Tls;

namespace Coap.Engine.Transport.Dtls;

/// <summary>The demultiplexer: what the socket's receive thread does with each datagram.</summary>
public sealed partial class DtlsServerTransport
{
    /// <summary>Record header (13 bytes), handshake header (12), client_version (2), then the 32-byte random.</summary>
    private const int RandomOffset = 27;

    [ThreadStatic]
    private static byte[]? t_datagram;

    /// <summary>
    /// A datagram from <paramref name="remote"/>. An established session's records are decrypted on this thread; a
    /// handshake's are queued for its thread. An epoch-0 ClientHello is a retransmission when its random is the session's,
    /// and otherwise a client that starts over from the same address and port (RFC 6347 §4.2.8): it goes through the
    /// cookie exchange like any new one, and replaces the old session only once its cookie verifies.
    /// </summary>
    private void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (_disposed || datagram.Length > DtlsServerSession.ReceiveLimit)
        {
            return;
        }

        var buffer = t_datagram ??= new byte[DtlsServerSession.ReceiveLimit];
        datagram.CopyTo(buffer);
        var length = datagram.Length;
        _sessions.TryGetValue(remote, out var session);
        if (!IsClientHello(datagram))
        {
            if (session is not null)
            {
                session.Pump(buffer, length, _receiver!, this);
                if (session.IsClosed)
                {
                    End(session);
                }
            }

            return;
        }

        var random = datagram.Slice(RandomOffset, 32);
        if (session is not null && random.SequenceEqual(session.ClientRandom))
        {
            if (!session.IsEstablished)
            {
                session.Enqueue(datagram);
            }

            return;
        }

        Verify(buffer, length, remote, random, session);
    }

    /// <summary>
    /// Answers a ClientHello without a valid cookie with a HelloVerifyRequest and keeps nothing; with one, starts a
    /// handshake if there is room for it.
    /// </summary>
    private void Verify(byte[] buffer, int length, SocketAddress remote, ReadOnlySpan<byte> random, DtlsServerSession? previous)
    {
        var reply = new VerifierReply(_udp, remote);
        var request = _verifier.VerifyRequest(remote.Buffer[..remote.Size].ToArray(), buffer, 0, length, reply);
        if (request is null)
        {
            return;
        }

        if (previous is not null)
        {
            SessionReplaced(_logger, remote.ToIPEndPoint());
            previous.Abandon();
            End(previous);
        }

        if (_sessions.Count >= _options.MaxSessions)
        {
            HandshakeRefused(_logger, remote.ToIPEndPoint(), "the session table is full (Coap:Security:MaxSessions)");
            return;
        }

        if (Interlocked.Increment(ref _handshakes) > _options.MaxHandshakes)
        {
            Interlocked.Decrement(ref _handshakes);
            HandshakeRefused(_logger, remote.ToIPEndPoint(), "too many handshakes under way (Coap:Security:MaxHandshakes)");
            return;
        }

        var session = new DtlsServerSession(_udp, remote, random, new CoapDtlsServer(_crypto, _credentials, _options.HandshakeTimeout));
        if (!_sessions.TryAdd(session.Remote, session))
        {
            Interlocked.Decrement(ref _handshakes);
            return;
        }

        var thread = new Thread(() => RunHandshake(session, request))
        {
            IsBackground = true,
            Name = "coaps-handshake",
        };
        thread.Start();
    }

    /// <summary>An unfragmented epoch-0 handshake record carrying a ClientHello, long enough to hold its random.</summary>
    private static bool IsClientHello(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= RandomOffset + 32
        && datagram[0] == ContentType.handshake
        && datagram[3] == 0 && datagram[4] == 0
        && datagram[13] == HandshakeType.client_hello;

    /// <summary>Takes the socket's datagrams for the transport and passes the rest of what the socket says to the engine.</summary>
    private sealed class Inbound(DtlsServerTransport owner) : IDatagramReceiver
    {
        public void OnDatagram(IDatagramTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote) =>
            owner.OnDatagram(datagram, remote);

        public void OnTransportError(IDatagramTransport transport, Exception error) =>
            owner._receiver!.OnTransportError(owner, error);

        public void OnUnreachable(IDatagramTransport transport, SocketAddress remote) =>
            owner._receiver!.OnUnreachable(owner, remote);

        public bool OnReceiveIdle(IDatagramTransport transport) => owner._receiver!.OnReceiveIdle(owner);
    }

    /// <summary>Where the verifier sends its HelloVerifyRequest: straight to the socket.</summary>
    private sealed class VerifierReply(UdpTransport udp, SocketAddress remote) : DatagramSender
    {
        public int GetSendLimit() => 1500;

        public void Send(byte[] buf, int off, int len) => udp.Send(buf.AsSpan(off, len), remote);

        public void Send(ReadOnlySpan<byte> buffer) => udp.Send(buffer, remote);
    }
}
