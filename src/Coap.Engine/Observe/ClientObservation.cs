using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Coap.Engine.Blockwise;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;

namespace Coap.Engine.Observe;

/// <summary>
/// One observation from the client side (RFC 7641 §3): registers with GET Observe 0, yields every fresh
/// notification (§3.4), re-registers with the same token when Max-Age passes without one (§3.3.1), and
/// deregisters with GET Observe 1 when the caller stops reading (§3.6). With an OSCORE context each (re-)registration
/// is protected (outer FETCH, RFC 8613 §4.1.3.5) and each notification verified against the latest one; a
/// notification that does not verify is dropped.
/// </summary>
internal sealed class ClientObservation
{
    /// <summary>How long after Max-Age a missing notification triggers a re-registration: absorbs network delay.</summary>
    public static readonly TimeSpan ReregistrationMargin = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait for the answer to a deregistration, so that stopping an observation stays quick.</summary>
    private static readonly TimeSpan DeregistrationWait = TimeSpan.FromSeconds(5);

    /// <summary>What <see cref="NextAsync"/> returns when the owner asked for a re-registration.</summary>
    private static readonly CoapMessage RenewalDue = ObservationRenewal.Due;

    /// <summary>What the wait's timer puts into the exchange's channel when it fires; not a message.</summary>
    private static readonly CoapMessage WaitOver = new();

    /// <summary>What the caller's cancellation puts into the exchange's channel; not a message.</summary>
    private static readonly CoapMessage Stopped = new();

    private readonly CoapEndpoint _endpoint;
    private readonly CoapMessage _request;
    private readonly IPEndPoint _remote;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly int _blockSize;
    private readonly Func<CoapMessage, CancellationToken, Task<CoapMessage>> _send;
    private readonly OscoreSecurityContext? _oscore;
    private readonly ObservationRenewal? _renewal;
    private OscoreRequestBinding? _binding;

    /// <summary>The wait for the next notification: armed by <see cref="NextAsync"/>, it puts <see cref="WaitOver"/> into the channel.</summary>
    private ITimer? _timer;

    /// <summary>The Notification Number of RFC 8613 §7.4.1: the highest Partial IV of a verified notification, -1 before one.</summary>
    private long _notificationNumber = -1;

    /// <summary>Whether a verified response using the (re-)registration's own nonce (no Partial IV) came already.</summary>
    private bool _requestNonceUsed;

    public ClientObservation(CoapEndpoint endpoint, CoapMessage request, IPEndPoint remote, TimeProvider time, CoapClientOptions options, Func<CoapMessage, CancellationToken, Task<CoapMessage>> send, ObservationRenewal? renewal = null)
    {
        _renewal = renewal;
        _endpoint = endpoint;
        _request = request;
        _remote = remote;
        _time = time;
        _timeout = options.EffectiveTimeout;
        _blockSize = options.BlockSize;
        _send = send;
        _oscore = options.Oscore;
    }

    /// <summary>
    /// The notifications, the first response included. The stream ends after yielding a response that is not
    /// 2.xx or has no Observe option (the server ended or refused the observation).
    /// </summary>
    public async IAsyncEnumerable<CoapMessage> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _request.Observe = 0;
        var exchange = _endpoint.OpenStream(_request, _remote);

        // The exchange's channel is the one thing the observation waits on: notifications, and what ends a wait
        // otherwise (the timer, the caller's cancellation, a renewal asked for) as sentinels in between.
        var wake = exchange.Notifications!.Writer;
        _timer = _time.CreateTimer(static state => ((ChannelWriter<CoapMessage>)state!).TryWrite(WaitOver), wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var stopping = cancellationToken.UnsafeRegister(static state => ((ChannelWriter<CoapMessage>)state!).TryWrite(Stopped), wake);
        _renewal?.Attach(wake);
        var registered = false;
        var order = new NotificationOrder(_time);
        try
        {
            Transmit(exchange, _request);
            var sent = _request;
            var wait = _timeout;
            var reregistered = false;
            while (true)
            {
                CoapMessage? next;
                try
                {
                    next = await NextAsync(exchange.Notifications.Reader, wait, registered, cancellationToken).ConfigureAwait(false);
                }
                catch (CoapException)
                {
                    // RST or an unacknowledged registration: the server keeps no observation to cancel.
                    registered = false;
                    throw;
                }

                if (ReferenceEquals(next, RenewalDue))
                {
                    // The owner asked for a fresh value: re-register with the same token (RFC 7641 §3.3.1).
                    var renewal = BlockRequests.Derive(_request);
                    renewal.Observe = 0;
                    Transmit(exchange, renewal);
                    sent = renewal;
                    wait = _timeout;
                    continue;
                }

                if (next is null)
                {
                    if (!registered || reregistered)
                    {
                        registered = false;
                        throw new CoapTimeoutException($"{_remote} sent no notification within {wait.TotalSeconds:0.###} s.");
                    }

                    reregistered = true;
                    var again = BlockRequests.Derive(_request);
                    again.Observe = 0;
                    Transmit(exchange, again);
                    sent = again;
                    wait = _timeout;
                    continue;
                }

                if (EchoRetry.Repeat(sent, next) is { } echoed)
                {
                    // The server wants the (re-)registration repeated with its Echo value (RFC 9175 §2.3), on the
                    // observation's token.
                    Transmit(exchange, echoed);
                    sent = echoed;
                    wait = _timeout;
                    continue;
                }

                if (!next.Code.IsSuccess || next.Observe is not { } observe)
                {
                    registered = false;
                    yield return next;
                    yield break;
                }

                if (!order.TryAccept(observe))
                {
                    continue;
                }

                if (!registered)
                {
                    // The registration's answer is fresh: a re-registration asked for before it came is served by it.
                    _renewal?.TryTake();
                }

                registered = true;
                reregistered = false;
                wait = TimeSpan.FromSeconds(next.MaxAge ?? 60) + ReregistrationMargin;
                var whole = next.Options.Contains(OptionNumber.Block2)
                    ? await BlockwiseDownload.CompleteAsync(_request, next, _blockSize, _send, null, cancellationToken).ConfigureAwait(false)
                    : next;
                // A notification completed from Block2 blocks is the last block's response, which answered a plain
                // GET: give it the notification's Observe number so the caller sees the same thing either way.
                whole.Observe ??= observe;
                yield return whole;
            }
        }
        finally
        {
            _renewal?.Attach(null);
            await stopping.DisposeAsync().ConfigureAwait(false);
            await _timer.DisposeAsync().ConfigureAwait(false);
            _endpoint.CloseStream(exchange);
            if (registered)
            {
                await DeregisterAsync(exchange.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends a (re-)registration on the observation's exchange, protected when there is an OSCORE context.</summary>
    private void Transmit(ClientExchange exchange, CoapMessage request)
    {
        if (_oscore is null)
        {
            _endpoint.Transmit(exchange, request);
            return;
        }

        request.Token = exchange.Token;
        _endpoint.Transmit(exchange, OscoreClientProtection.Protect(_oscore, request, out var binding));
        _binding = binding;
        _requestNonceUsed = false;
    }

    /// <summary>
    /// The next notification; null when <paramref name="wait"/> passed without one; <see cref="RenewalDue"/> when the
    /// owner asked for a re-registration meanwhile and the observation is <paramref name="registered"/> (before, the
    /// registration's answer serves the request). Reads without a cancellation token, so that the channel's one
    /// reusable wait serves every read, and from a pooled state machine: nothing is allocated per notification.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CoapMessage?> NextAsync(ChannelReader<CoapMessage> reader, TimeSpan wait, bool registered, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);
        _timer!.Change(wait, Timeout.InfiniteTimeSpan);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = await reader.ReadAsync().ConfigureAwait(false);
                if (ReferenceEquals(next, Stopped))
                {
                    continue;
                }

                if (ReferenceEquals(next, RenewalDue))
                {
                    if (_renewal!.TryTake() && registered)
                    {
                        return RenewalDue;
                    }

                    continue;
                }

                if (ReferenceEquals(next, WaitOver))
                {
                    // A timer of an earlier wait that fired as its notification came is not this wait's end.
                    var left = deadline - _time.GetTimestamp();
                    if (left <= 0)
                    {
                        return null;
                    }

                    _timer.Change(TimeSpan.FromSeconds((double)left / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                    continue;
                }

                if (_oscore is null)
                {
                    return next;
                }

                var result = OscoreClientProtection.TryUnprotect(_oscore, next, _binding!);
                if (result.Succeeded && (!next.Options.Contains(OptionNumber.Oscore) || IsFirstSeen(result.PartialIv)))
                {
                    return result.Message;
                }
            }
        }
        finally
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// The replay check of notifications (RFC 8613 §7.4.1): a verified notification counts only when its Partial IV is
    /// above the Notification Number (then the new one), a response on the registration's nonce only once. A protected
    /// notification sent again (its outer Observe number raised, which OSCORE does not protect) is dropped here.
    /// </summary>
    private bool IsFirstSeen(long partialIv)
    {
        if (partialIv < 0)
        {
            var first = !_requestNonceUsed;
            _requestNonceUsed = true;
            return first;
        }

        if (partialIv <= _notificationNumber)
        {
            return false;
        }

        _notificationNumber = partialIv;
        return true;
    }

    /// <summary>GET with Observe 1 and the observation's token (RFC 7641 §3.6); an unanswered one is given up quietly.</summary>
    private async Task DeregisterAsync(CoapToken token)
    {
        var request = BlockRequests.Derive(_request);
        request.Observe = 1;
        request.Token = token;
        using var timeout = new CancellationTokenSource(_timeout < DeregistrationWait ? _timeout : DeregistrationWait, _time);
        try
        {
            await _endpoint.SendRequestAsync(_oscore is null ? request : OscoreClientProtection.Protect(_oscore, request, out _), _remote, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is CoapException or OperationCanceledException)
        {
            // The server forgets the observation anyway when the next notification is reset (RFC 7641 §3.6).
        }
    }
}
