using System.Net;
using Coap.Engine.Client;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// One DTLS 1.2 client session with one server. The handshake, which BouncyCastle runs synchronously, runs once on a
/// thread of its own, never on the socket's receive thread; afterwards the receive thread pumps each datagram from
/// the server through the session and hands the CoAP message inside to the endpoint. A session that failed or was
/// closed stays failed: the transport makes a new one for the next request.
/// </summary>
internal sealed class DtlsClientSession
{
    /// <summary>The largest CoAP message taken out of one record (a DTLS record carries at most 2^14 bytes).</summary>
    private const int MaxPlaintext = 16 * 1024;

    private readonly DtlsClientLink _link;
    private readonly IPEndPoint _server;
    private readonly object _pumpLock = new();
    private Task? _handshake;
    private DtlsTransport? _dtls;
    private byte[]? _plain;
    private volatile bool _failed;
    private volatile bool _unreachable;

    public DtlsClientSession(IDatagramTransport socket, SocketAddress remote, IPEndPoint server)
    {
        _link = new DtlsClientLink(socket, remote);
        _server = server;
    }

    /// <summary>The handshake failed, or the session ended (close_notify, a fatal alert, the client closing).</summary>
    public bool Failed => _failed || _link.Closed;

    /// <summary>Whether no handshake is under way: none started, or it has ended one way or the other.</summary>
    public bool IsFinished => Volatile.Read(ref _handshake) is not { IsCompleted: false };

    /// <summary>Starts the handshake unless it has started; completes when it has finished, or fails with a <see cref="DtlsHandshakeException"/>.</summary>
    public Task ConnectAsync(BcTlsCrypto crypto, CoapClientOptions options)
    {
        lock (_pumpLock)
        {
            return _handshake ??= Task.Factory.StartNew(
                () => Handshake(crypto, options),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
    }

    /// <summary>A datagram from the server, on the socket's receive thread.</summary>
    public void OnDatagram(ReadOnlySpan<byte> datagram, IDatagramTransport transport, IDatagramReceiver receiver, SocketAddress remote)
    {
        _link.Enqueue(datagram);
        if (Volatile.Read(ref _dtls) is not null)
        {
            Pump(transport, receiver, remote);
        }
    }

    /// <summary>An ICMP error said nothing receives at the server's port: a handshake under way ends now.</summary>
    public void OnUnreachable()
    {
        if (Volatile.Read(ref _dtls) is null)
        {
            _unreachable = true;
            _link.Close();
        }
    }

    /// <summary>Sends a CoAP message in a record; dropped, like a lost datagram, unless the session is up.</summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        var dtls = Volatile.Read(ref _dtls);
        if (dtls is null || Failed)
        {
            return;
        }

        try
        {
            dtls.Send(datagram);
        }
        catch (IOException)
        {
            _failed = true;
        }
    }

    /// <summary>Ends the session with close_notify (RFC 5246 §7.2.1), or abandons a handshake under way.</summary>
    public void Close()
    {
        lock (_pumpLock)
        {
            _failed = true;
            try
            {
                _dtls?.Close();
            }
            catch (IOException)
            {
                // The alert could not be sent: the server forgets the session at its idle timeout instead.
            }

            _link.Close();
        }
    }

    private void Handshake(BcTlsCrypto crypto, CoapClientOptions options)
    {
        var timeout = options.HandshakeTimeout;
        // BouncyCastle's own timeout ends the handshake; this one only guards against it waiting on a quiet link.
        using var watchdog = new Timer(static link => ((DtlsClientLink)link!).Close(), _link, timeout + TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        DtlsTransport dtls;
        try
        {
            TlsClient client = options.Certificate is null && options.ServerCas is null
                ? new DtlsPskClient(crypto, options.Psk!, timeout)
                : new DtlsCertificateClient(crypto, options.Certificate, options.ServerCas ?? DtlsTrustAnchors.System, timeout);
            dtls = new DtlsClientProtocol().Connect(client, _link);
        }
        catch (IOException error)
        {
            _failed = true;
            _link.Close();
            throw new DtlsHandshakeException($"DTLS handshake with {_server} failed: {Explain(error, options.Psk?.Identity, timeout)}", error);
        }

        lock (_pumpLock)
        {
            if (_failed)
            {
                // The client was closed while the handshake finished.
                dtls.Close();
                throw new DtlsHandshakeException($"DTLS handshake with {_server} failed: the client was closed.");
            }

            _plain = new byte[MaxPlaintext];
            Volatile.Write(ref _dtls, dtls);
        }
    }

    private string Explain(Exception error, string? identity, TimeSpan timeout) => error switch
    {
        _ when _unreachable => "nothing listens there (ICMP port unreachable)",
        TlsFatalAlertReceived { AlertDescription: AlertDescription.unknown_psk_identity } =>
            $"the server refused identity '{identity}' (unknown_psk_identity)",
        TlsFatalAlertReceived received => $"the server sent the alert {AlertDescription.GetName(received.AlertDescription)}",
        TlsFatalAlert raised => $"{AlertDescription.GetName(raised.AlertDescription)} ({DetailOf(raised)})",
        _ when _link.Answered && identity is not null => $"the handshake did not finish within {timeout.TotalSeconds:0.###} s: wrong key for identity '{identity}'?",
        _ when _link.Answered => $"the handshake did not finish within {timeout.TotalSeconds:0.###} s",
        _ => $"no answer within {timeout.TotalSeconds:0.###} s: no DTLS server there, or it dropped the handshake (wrong key?)",
    };

    /// <summary>An alert's own explanation, without the "name(code); " BouncyCastle puts before it.</summary>
    private static string DetailOf(TlsFatalAlert alert)
    {
        var prefix = AlertDescription.GetText(alert.AlertDescription) + "; ";
        return alert.Message.StartsWith(prefix, StringComparison.Ordinal) ? alert.Message[prefix.Length..] : alert.Message;
    }

    /// <summary>Takes the CoAP messages out of the datagrams queued, serialised per session.</summary>
    private void Pump(IDatagramTransport transport, IDatagramReceiver receiver, SocketAddress remote)
    {
        lock (_pumpLock)
        {
            var dtls = _dtls!;
            var plain = _plain!;
            try
            {
                while (!Failed && _link.Pending > 0)
                {
                    // One record in the datagram, then any others it carried.
                    for (var length = dtls.Receive(plain, 0, plain.Length, 1); length >= 0; length = dtls.ReceivePending(plain, 0, plain.Length))
                    {
                        receiver.OnDatagram(transport, plain.AsSpan(0, length), remote);
                    }
                }
            }
            catch (IOException)
            {
                // close_notify or a fatal alert from the server, or the client closing: the next request makes a new session.
                _failed = true;
                _link.Close();
            }
        }
    }
}
