using System.Net;
using Coap.Engine.Codec;
using Coap.Engine.Hosting;
using Coap.Engine.Messaging;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Exchanges;

/// <summary>
/// One CoAP endpoint over one or more transports: the message layer below, server exchanges (requests in) and
/// client exchanges (requests out) above. Datagrams are decoded and deduplicated on the transport's receive thread;
/// request handlers run on the <see cref="RequestQueue"/>'s workers.
/// </summary>
public sealed partial class CoapEndpoint : IAsyncDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long stopping waits for the handlers that are running to return.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);

    private readonly MessageManager _messages;
    private readonly IRequestDispatcher? _dispatcher;
    private readonly RequestQueue? _requests;
    private readonly ILogger _logger;
    private readonly CoapEndpointOptions _options;
    private readonly RequestMatcher _matcher = new();
    private readonly AmplificationGuard _amplification;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _sweepTimer;
    private readonly DroppedDatagrams _dropped;
    private TransportBinding[] _bindings = [];

    /// <summary>The separate-response timers' callback, made once (a method group makes a delegate per use).</summary>
    private readonly TimerCallback _onSeparateResponseDue;
    private int _disposed;

    /// <param name="options">The endpoint's settings.</param>
    /// <param name="dispatcher">
    /// Builds the server side (null for a client only), given what it needs to send notifications; the endpoint builds
    /// it here because that sender is the endpoint's own message layer.
    /// </param>
    /// <param name="time">The clock of retransmissions and lifetimes.</param>
    /// <param name="random">Message IDs, tokens and jitter.</param>
    /// <param name="loggers">Where the endpoint logs, a category per component; nowhere when null.</param>
    internal CoapEndpoint(CoapEndpointOptions options, Func<INotificationSender, IRequestDispatcher>? dispatcher, TimeProvider time, Random random, ILoggerFactory? loggers)
    {
        loggers ??= NullLoggerFactory.Instance;
        _options = options;
        _logger = loggers.CreateLogger<CoapEndpoint>();
        _messages = new MessageManager(options, time, random, loggers.CreateLogger<MessageManager>());
        _onSeparateResponseDue = OnSeparateResponseDue;
        _amplification = new AmplificationGuard(options, time, _logger);
        _dropped = new DroppedDatagrams(time, _logger);
        _dispatcher = dispatcher?.Invoke(new NotificationSender(this, _messages, loggers.CreateLogger<ObserveStage>(), _amplification));
        if (_dispatcher is not null)
        {
            _requests = new RequestQueue(options, Handle, ReceivePending, error => BackgroundWork.Report(_logger, error, "handling a request"));
        }

        _sweepTimer = time.CreateTimer(_logger, "sweeping expired message IDs and idle peers", Sweep, SweepInterval, SweepInterval);
    }

    /// <summary>The addresses the endpoint's transports are bound to.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => Array.ConvertAll(_bindings, b => b.Transport.LocalEndPoint);

    internal MessageManager Messages => _messages;

    internal RequestMatcher Matcher => _matcher;

    /// <summary>The server's request queue; null for a client-only endpoint.</summary>
    internal RequestQueue? Requests => _requests;

    /// <summary>Attaches and starts a transport.</summary>
    public void Attach(IDatagramTransport transport)
    {
        var binding = new TransportBinding(this, transport, _options.MaxPeers);
        _bindings = [.. _bindings, binding];
        transport.Start(binding);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_requests?.Stop(StopWait) == false)
        {
            Log.StoppedDuringHandler(_logger, StopWait.TotalSeconds);
        }

        _dispatcher?.OnStopping();
        await _sweepTimer.DisposeAsync().ConfigureAwait(false);
        foreach (var binding in _bindings)
        {
            await binding.Transport.DisposeAsync().ConfigureAwait(false);
        }

        _messages.CancelAll();
        _stopping.Dispose();
    }

    internal void Receive(TransportBinding binding, ReadOnlySpan<byte> datagram, System.Net.SocketAddress remote)
    {
        var peer = binding.GetPeer(remote, _messages.Time.GetTimestamp());
        if (peer is null)
        {
            _dropped.Refused(remote, datagram.Length);
            return;
        }

        var error = CoapMessageReader.TryReadCopy(datagram, out var message);
        if (error != CoapDecodeError.None)
        {
            OnMalformed(peer, datagram, error);
            return;
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.Received(_logger, peer, message!);
        }

        switch (message!.Type)
        {
            case CoapMessageType.Acknowledgement:
                OnAcknowledgement(peer, message);
                break;
            case CoapMessageType.Reset:
                OnReset(peer, message);
                break;
            default:
                OnConfirmableOrNon(peer, message);
                break;
        }
    }

    /// <summary>Takes datagrams already waiting in the transports, at most <paramref name="max"/>, on the calling thread.</summary>
    private int ReceivePending(int max)
    {
        var received = 0;
        foreach (var binding in _bindings)
        {
            received += binding.Transport.ReceivePending(binding, max - received);
            if (received >= max)
            {
                break;
            }
        }

        return received;
    }

    internal void OnTransportError(IDatagramTransport transport, Exception error) =>
        Log.TransportFailed(_logger, error, transport.LocalEndPoint.ToString());

    /// <summary>An ICMP error said nothing receives at the peer's address: its observations end at once.</summary>
    internal void OnUnreachable(CoapPeer peer) => _dispatcher?.OnUnreachable(peer);

    /// <summary>The peer's DTLS session ended: the observations registered through it end with it.</summary>
    internal void OnSessionEnded(CoapPeer peer) => _dispatcher?.OnSessionEnded(peer);

    /// <summary>
    /// RFC 7252 §4.2/§4.3: a malformed CON is rejected with RST, anything else is dropped; either is counted for the
    /// Warning summary and logged at Debug.
    /// </summary>
    private void OnMalformed(CoapPeer peer, ReadOnlySpan<byte> datagram, CoapDecodeError error)
    {
        _dropped.Malformed(peer.Address, datagram.Length, error);
        Log.Malformed(_logger, peer, datagram.Length, error);
        if (error != CoapDecodeError.UnsupportedVersion
            && CoapHeader.TryRead(datagram, out var header)
            && header.Type == CoapMessageType.Confirmable)
        {
            _messages.SendEmpty(peer, CoapMessageType.Reset, header.MessageId);
        }
    }

    private void OnConfirmableOrNon(CoapPeer peer, CoapMessage message)
    {
        var code = message.Code;
        if (code.IsRequest)
        {
            OnRequest(peer, message);
        }
        else if (code.IsResponse)
        {
            OnResponse(peer, message);
        }
        else if (message.Type == CoapMessageType.Confirmable)
        {
            // An empty CON is a ping (§4.3); a reserved code class (1, 6, 7) cannot be processed (§4.2).
            _messages.SendEmpty(peer, CoapMessageType.Reset, message.MessageId);
        }
    }

    private void OnAcknowledgement(CoapPeer peer, CoapMessage ack)
    {
        if (!_messages.Complete(peer, ack))
        {
            Unmatched(DropReason.UnmatchedAck, peer, ack);
            return;
        }

        if (ack.Code.IsResponse && _matcher.TryFind(peer, ack.Token, out var exchange))
        {
            exchange!.Deliver(ack);
        }
    }

    private void OnReset(CoapPeer peer, CoapMessage reset)
    {
        if (!_messages.Complete(peer, reset) && !(_dispatcher?.OnUnmatchedReset(peer, reset.MessageId) ?? false))
        {
            Unmatched(DropReason.UnmatchedReset, peer, reset);
        }
    }

    /// <summary>A message that matches nothing: counted for the Warning summary, logged at Debug.</summary>
    private void Unmatched(DropReason reason, CoapPeer peer, CoapMessage message)
    {
        _dropped.Unmatched(reason, peer.Address, message);
        Log.Unexpected(_logger, peer, reason, message);
    }

    private void Sweep()
    {
        _dropped.Flush();
        _messages.RemoveExpired();
        var lifetime = _options.Transmission.ExchangeLifetime;
        var now = _messages.Time.GetTimestamp();
        var idleBefore = now - (long)(lifetime.TotalSeconds * _messages.Time.TimestampFrequency);
        foreach (var binding in _bindings)
        {
            binding.RemoveIdlePeers(idleBefore, now);
        }
    }
}
