using System.Collections.Concurrent;
using System.Net;
using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// CoAP over DTLS 1.2 with pre-shared keys and/or certificates (RFC 7252 §9), server side, over a <see cref="UdpTransport"/> of its own.
/// The engine above sees plain datagrams and, through <see cref="IdentityOf"/>, the identity of their sender (PSK identity or client certificate CN).
/// A ClientHello from an address without a session is answered by a stateless HelloVerifyRequest
/// (<see cref="DtlsVerifier"/>, RFC 6347 §4.2.1) and only a ClientHello carrying a valid cookie creates a session;
/// handshakes run on threads of their own, at most <see cref="CoapSecurityOptions.MaxHandshakes"/> at once and each
/// for at most <see cref="CoapSecurityOptions.HandshakeTimeout"/>; established sessions are pumped by the receive
/// thread (<see cref="DtlsServerSession"/>); at most <see cref="CoapSecurityOptions.MaxSessions"/> are kept and idle
/// ones are closed after <see cref="CoapSecurityOptions.SessionIdleTimeout"/>.
/// </summary>
public sealed partial class DtlsServerTransport : IDatagramTransport
{
    private readonly UdpTransport _udp;
    private readonly DtlsServerCredentials _credentials;
    private readonly CoapSecurityOptions _options;
    private readonly ILogger _logger;
    private readonly BcTlsCrypto _crypto = new(new SecureRandom());
    private readonly DtlsVerifier _verifier;
    private readonly ConcurrentDictionary<SocketAddress, DtlsServerSession> _sessions = new();
    private readonly ITimer _sweep;
    private IDatagramReceiver? _receiver;
    private int _handshakes;
    private volatile bool _disposed;

    private DtlsServerTransport(UdpTransport udp, DtlsServerCredentials credentials, CoapSecurityOptions options, ILogger logger)
    {
        _udp = udp;
        _credentials = credentials;
        _options = options;
        _logger = logger;
        _verifier = new DtlsVerifier(_crypto);
        var period = TimeSpan.FromTicks(Math.Clamp(options.SessionIdleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, 30 * TimeSpan.TicksPerSecond));
        _sweep = TimeProvider.System.CreateTimer(logger, "closing idle DTLS sessions", Sweep, period, period);
    }

    public IPEndPoint LocalEndPoint => _udp.LocalEndPoint;

    public bool DualMode => _udp.DualMode;

    /// <summary>A peer proved it receives at its address when it returned the handshake's cookie.</summary>
    public bool VerifiesAddresses => true;

    /// <summary>Sessions kept: established ones and those in their handshake.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Handshakes under way.</summary>
    public int HandshakeCount => Volatile.Read(ref _handshakes);

    /// <summary>Binds a socket for DTLS with the keys of <paramref name="identities"/> (PSK only).</summary>
    public static DtlsServerTransport Bind(IPEndPoint endPoint, PskIdentities identities, CoapSecurityOptions options, ILogger? logger = null) =>
        Bind(endPoint, new DtlsServerCredentials(identities, null, null), options, logger);

    /// <summary>Binds a socket for DTLS with <paramref name="credentials"/>.</summary>
    public static DtlsServerTransport Bind(IPEndPoint endPoint, DtlsServerCredentials credentials, CoapSecurityOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(options);
        return new DtlsServerTransport(UdpTransport.Bind(endPoint), credentials, options, logger ?? NullLogger.Instance);
    }

    public void Start(IDatagramReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (_receiver is not null)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        _receiver = receiver;
        _udp.Start(new Inbound(this));
    }

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (_sessions.TryGetValue(remote, out var session) && !session.Send(datagram))
        {
            End(session);
        }
    }

    public string? IdentityOf(SocketAddress remote) =>
        _sessions.TryGetValue(remote, out var session) ? session.Identity : null;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _sweep.DisposeAsync().ConfigureAwait(false);
        foreach (var session in _sessions.Values)
        {
            session.Shutdown();
        }

        _sessions.Clear();
        await _udp.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Forgets <paramref name="session"/> if it is still the one kept for its address.</summary>
    private void End(DtlsServerSession session)
    {
        session.Close();
        if (_sessions.TryRemove(KeyValuePair.Create(session.Remote, session)))
        {
            SessionEnded(_logger, session.Remote.ToIPEndPoint(), session.Identity);
            if (session.IsEstablished)
            {
                _receiver?.OnSessionEnded(this, session.Remote);
            }
        }
    }

    /// <summary>Closes sessions idle for longer than the idle timeout, and handshakes that outlived theirs.</summary>
    private void Sweep()
    {
        var now = Environment.TickCount64;
        var idle = (long)_options.SessionIdleTimeout.TotalMilliseconds;
        var handshake = 2 * (long)_options.HandshakeTimeout.TotalMilliseconds;
        foreach (var session in _sessions.Values)
        {
            if (session.IsEstablished ? now - session.LastActivity > idle : now - session.Started > handshake)
            {
                session.Shutdown();
                End(session);
            }
        }
    }

    /// <summary>The body of a handshake thread; whatever happens, the slot is freed and a failed session forgotten.</summary>
    private void RunHandshake(DtlsServerSession session, DtlsRequest request)
    {
        try
        {
            BackgroundWork.Run(_logger, "a DTLS handshake", () => Handshake(session, request));
        }
        finally
        {
            Interlocked.Decrement(ref _handshakes);
            if (!session.IsEstablished || session.IsClosed)
            {
                End(session);
            }
        }
    }

    private void Handshake(DtlsServerSession session, DtlsRequest request)
    {
        try
        {
            var dtls = new DtlsServerProtocol().Accept(session.Server, session, request);
            session.Establish(dtls, _receiver!, this);
            HandshakeDone(_logger, session.Remote.ToIPEndPoint(), session.Identity, session.Server.CipherSuite);
        }
        catch (IOException error)
        {
            // A wrong key (timeout), an unknown identity, a client certificate that does not verify, a peer that gave up, or the session replaced or shut down.
            HandshakeFailed(_logger, session.Remote.ToIPEndPoint(), error.Message);
            session.Close();
        }
    }

    [LoggerMessage(130, LogLevel.Debug, "DTLS handshake with {Peer} done: identity {Identity}, cipher suite 0x{Suite:X4}")]
    private static partial void HandshakeDone(ILogger logger, IPEndPoint peer, string? identity, int suite);

    [LoggerMessage(131, LogLevel.Debug, "DTLS handshake with {Peer} failed: {Reason}")]
    private static partial void HandshakeFailed(ILogger logger, IPEndPoint peer, string reason);

    [LoggerMessage(132, LogLevel.Debug, "DTLS session with {Peer} (identity {Identity}) ended")]
    private static partial void SessionEnded(ILogger logger, IPEndPoint peer, string? identity);

    [LoggerMessage(133, LogLevel.Debug, "ClientHello from {Peer} with a valid cookie dropped: {Reason}")]
    private static partial void HandshakeRefused(ILogger logger, IPEndPoint peer, string reason);

    [LoggerMessage(134, LogLevel.Debug, "DTLS session with {Peer} replaced by a new handshake from the same address")]
    private static partial void SessionReplaced(ILogger logger, IPEndPoint peer);
}
