using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Coap.Engine.Client;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// The client's side of coaps:// (RFC 7252 §9): wraps the client's UDP socket and keeps one DTLS 1.2 PSK session per
/// server it was asked to secure (<see cref="ConnectAsync"/>), made on first use and reused. Datagrams to and from a
/// secured server go through its session; those to and from any other peer pass as they are, so one client speaks
/// coap:// and coaps:// alike. Nothing is ever sent in the clear to a secured server: while its session is down,
/// what the endpoint sends there is dropped like a lost datagram until the next request makes a new session.
/// </summary>
internal sealed class DtlsClientTransport : IDatagramTransport, IDatagramReceiver
{
    private static readonly BcTlsCrypto Crypto = new(new SecureRandom());

    private readonly IDatagramTransport _socket;
    private readonly CoapClientOptions _options;
    private readonly ConcurrentDictionary<SocketAddress, DtlsClientSession> _sessions = new();
    private IDatagramReceiver? _receiver;
    private volatile bool _disposed;

    /// <param name="options">Its PSK credentials, or certificate and server CAs (which take precedence), and handshake timeout.</param>
    public DtlsClientTransport(IDatagramTransport socket, CoapClientOptions options)
    {
        _socket = socket;
        _options = options;
    }

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    public bool DualMode => _socket.DualMode;

    public void Start(IDatagramReceiver receiver)
    {
        _receiver = receiver;
        _socket.Start(this);
    }

    /// <summary>
    /// Makes sure a session with <paramref name="server"/> is up: starts a handshake unless one is up or under way
    /// (a failed or ended session is replaced), and waits for it. Throws <see cref="DtlsHandshakeException"/>.
    /// </summary>
    public async Task ConnectAsync(IPEndPoint server, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var address = AddressOf(server);
        while (true)
        {
            var session = _sessions.GetOrAdd(address, static (key, state) => new DtlsClientSession(state._socket, key, state.server), (_socket, server));
            if (session.Failed && session.IsFinished)
            {
                _sessions.TryRemove(new KeyValuePair<SocketAddress, DtlsClientSession>(address, session));
                continue;
            }

            await session.ConnectAsync(Crypto, _options).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_disposed)
            {
                session.Close();
            }

            return;
        }
    }

    /// <summary>Ends the session with <paramref name="server"/>, if it is up; the next <see cref="ConnectAsync"/> makes a new one.</summary>
    public void Abandon(IPEndPoint server)
    {
        if (_sessions.TryGetValue(AddressOf(server), out var session) && session.IsFinished)
        {
            session.Close();
        }
    }

    /// <summary>Whether requests to <paramref name="server"/> go through DTLS: a session was asked for it.</summary>
    public bool IsSecured(IPEndPoint server) => !_sessions.IsEmpty && _sessions.ContainsKey(AddressOf(server));

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (_sessions.TryGetValue(remote, out var session))
        {
            session.Send(datagram);
        }
        else
        {
            _socket.Send(datagram, remote);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var session in _sessions.Values)
        {
            session.Close();
        }

        await _socket.DisposeAsync().ConfigureAwait(false);
    }

    void IDatagramReceiver.OnDatagram(IDatagramTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (_sessions.TryGetValue(remote, out var session))
        {
            session.OnDatagram(datagram, this, _receiver!, remote);
        }
        else
        {
            _receiver!.OnDatagram(this, datagram, remote);
        }
    }

    void IDatagramReceiver.OnTransportError(IDatagramTransport transport, Exception error) => _receiver!.OnTransportError(this, error);

    void IDatagramReceiver.OnUnreachable(IDatagramTransport transport, SocketAddress remote)
    {
        if (_sessions.TryGetValue(remote, out var session))
        {
            session.OnUnreachable();
        }

        _receiver!.OnUnreachable(this, remote);
    }

    bool IDatagramReceiver.OnReceiveIdle(IDatagramTransport transport) => _receiver!.OnReceiveIdle(this);

    /// <summary>The server's address as the socket sees it: an IPv4 server is IPv4-mapped on a dual-stack socket.</summary>
    private SocketAddress AddressOf(IPEndPoint server)
    {
        if (LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && server.AddressFamily == AddressFamily.InterNetwork)
        {
            server = new IPEndPoint(server.Address.MapToIPv6(), server.Port);
        }

        return server.Serialize();
    }
}
