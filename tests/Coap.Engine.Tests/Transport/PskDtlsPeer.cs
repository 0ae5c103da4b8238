using System.Net;
using System.Net.Sockets;
using System.Text;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Engine.Transport.Dtls;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Coap.Engine.Tests.Transport;

/// <summary>
/// A DTLS 1.2 PSK server on 127.0.0.1 built on BouncyCastle's server protocol, one session at a time, answering
/// every CoAP request with 2.05 and the request's path. It shows what libcoap's example servers cannot: they give
/// every identity their one key and never refuse one. It counts handshakes and notes a close_notify received.
/// </summary>
internal sealed class PskDtlsPeer : IDisposable
{
    private static readonly TlsCrypto SharedCrypto = new BcTlsCrypto(new SecureRandom());

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly string _identity;
    private readonly byte[] _key;
    private readonly Thread _thread;
    private volatile bool _disposed;
    private int _handshakes;

    /// <param name="port">The port to listen on; 0 for any free one.</param>
    public PskDtlsPeer(string identity, byte[] key, int port = 0)
    {
        _identity = identity;
        _key = key;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        _thread = new Thread(Run) { IsBackground = true, Name = "test dtls server" };
        _thread.Start();
    }

    public int Port { get; }

    public string Uri(string path) => $"coaps://127.0.0.1:{Port}/{path}";

    /// <summary>Handshakes that succeeded.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    /// <summary>Completes when a client's close_notify arrives.</summary>
    public TaskCompletionSource CloseNotified { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
        _thread.Join(TimeSpan.FromSeconds(10));
    }

    private void Run()
    {
        while (!_disposed)
        {
            try
            {
                var dtls = new DtlsServerProtocol().Accept(new Server(this), new SocketLink(_socket));
                Interlocked.Increment(ref _handshakes);
                Serve(dtls);
            }
            catch (IOException)
            {
                // A refused identity, a client gone, or the peer disposed: wait for the next client.
            }
        }
    }

    /// <summary>Answers requests until the session ends: a close_notify closes the link, whose next receive throws.</summary>
    private static void Serve(DtlsTransport dtls)
    {
        var buffer = new byte[2048];
        while (true)
        {
            var length = dtls.Receive(buffer, 0, buffer.Length, 60_000);
            if (length < 0)
            {
                continue;
            }

            if (CoapMessageReader.TryReadCopy(buffer.AsSpan(0, length), out var request) != CoapDecodeError.None)
            {
                continue;
            }

            var response = new CoapMessage
            {
                Type = CoapMessageType.Acknowledgement,
                Code = CoapCode.Content,
                MessageId = request!.MessageId,
                Token = request.Token,
                Payload = Encoding.UTF8.GetBytes(request.GetUriPath()),
            };
            dtls.Send(CoapMessageWriter.ToArray(response));
        }
    }

    private sealed class Server(PskDtlsPeer peer) : PskTlsServer(SharedCrypto, new Identities(peer))
    {
        public override int GetHandshakeTimeoutMillis() => 10_000;

        public override void NotifyAlertReceived(short alertLevel, short alertDescription)
        {
            if (alertDescription == AlertDescription.close_notify)
            {
                peer.CloseNotified.TrySetResult();
            }
        }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.Psk);
    }

    /// <summary>One identity; any other is unknown (null: BouncyCastle answers unknown_psk_identity).</summary>
    private sealed class Identities(PskDtlsPeer peer) : TlsPskIdentityManager
    {
        public byte[]? GetHint() => null;

        public byte[]? GetPsk(byte[] identity) =>
            Encoding.UTF8.GetString(identity) == peer._identity ? (byte[])peer._key.Clone() : null;
    }

    /// <summary>
    /// The socket as BouncyCastle's datagram transport for one session, answering whoever sent the last datagram.
    /// Once BouncyCastle closes it, receiving throws, which ends its receive loop at once.
    /// </summary>
    private sealed class SocketLink(Socket socket) : DatagramTransport
    {
        private EndPoint _remote = new IPEndPoint(IPAddress.Any, 0);
        private volatile bool _closed;

        public int GetReceiveLimit() => 2048;

        public int GetSendLimit() => 2048;

        public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

        public int Receive(Span<byte> buffer, int waitMillis)
        {
            if (_closed)
            {
                throw new IOException("The session is closed.");
            }

            try
            {
                socket.ReceiveTimeout = waitMillis;
                return socket.ReceiveFrom(buffer, SocketFlags.None, ref _remote);
            }
            catch (SocketException error) when (error.SocketErrorCode == SocketError.TimedOut)
            {
                return -1;
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                throw new IOException("The test server's socket is closed.", error);
            }
        }

        public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

        public void Send(ReadOnlySpan<byte> buffer)
        {
            try
            {
                socket.SendTo(buffer, SocketFlags.None, _remote);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                throw new IOException("The test server's socket is closed.", error);
            }
        }

        public void Close() => _closed = true;
    }
}
