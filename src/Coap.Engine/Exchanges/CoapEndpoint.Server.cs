using Coap.Engine.Hosting;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// Requests in: queued by the receive thread (<see cref="RequestQueue"/>), handled by a worker; piggybacked responses
/// when the handler is quick, separate responses when not (RFC 7252 §5.2).
/// </summary>
public sealed partial class CoapEndpoint
{
    /// <summary>Max-Age of the 5.03 that answers a request the queue has no room for.</summary>
    internal const uint QueueFullRetrySeconds = 2;

    /// <summary>
    /// What a handler returns for a NON request that it leaves unanswered (RFC 7252 §5.2.3 lets a server do so; a
    /// Q-Block1 block in the middle of its set, RFC 9177 §4.3): nothing is sent, and a duplicate of the request is
    /// dropped. For a CON request it is an empty ACK.
    /// </summary>
    internal static readonly CoapMessage NoResponse = CoapMessage.CreateResponse(CoapCode.Empty);

    /// <summary>
    /// Where datagrams are taken in (the receive thread, or a worker taking those already waiting): duplicates are
    /// answered here, new requests for a resource that runs inline handled here too, the others queued for a worker,
    /// or refused with 5.03 when the queue has no room.
    /// </summary>
    private void OnRequest(CoapPeer peer, CoapMessage request)
    {
        if (!_messages.Admit(peer, request))
        {
            return;
        }

        if (_amplification.Admit(peer, request, _dispatcher) is { } challenge)
        {
            Respond(peer, request, challenge, separate: false);
            return;
        }

        if (_requests is null)
        {
            Respond(peer, request, CoapMessage.CreateResponse(CoapCode.NotFound), separate: false);
        }
        else if (_dispatcher!.RunsInline(request))
        {
            Handle(peer, request, peer.LastActivity);
        }
        else if (!_requests.TryEnqueue(peer, request, peer.LastActivity))
        {
            Log.QueueFull(_logger, peer, request.MessageId);
            var busy = CoapMessage.CreateResponse(CoapCode.ServiceUnavailable);
            busy.MaxAge = QueueFullRetrySeconds;
            Respond(peer, request, busy, separate: false);
        }
    }

    /// <summary>
    /// On a worker, or inline where the request was taken in: runs the handler. A CON request not answered by
    /// <c>Coap:SeparateResponseAfter</c> after its arrival (time in the queue included) gets an empty ACK and its
    /// response later.
    /// </summary>
    private void Handle(CoapPeer peer, CoapMessage request, long arrived)
    {
        ValueTask<CoapMessage> pending;
        try
        {
            pending = _dispatcher!.DispatchAsync(request, peer, _stopping.Token);
        }
        catch (Exception error)
        {
            pending = ValueTask.FromResult(Failed(request, error));
        }

        if (pending.IsCompleted)
        {
            Respond(peer, request, Result(request, pending), separate: false);
            return;
        }

        var exchange = new ServerExchange(peer, request);
        if (request.Type == CoapMessageType.Confirmable)
        {
            var due = _options.SeparateResponseAfter - _messages.Time.GetElapsedTime(arrived);
            lock (exchange)
            {
                exchange.Timer = _messages.Time.CreateTimer(_onSeparateResponseDue, exchange, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }

        _ = CompleteLaterAsync(exchange, pending);
    }

    private void OnSeparateResponseDue(object? state)
    {
        try
        {
            AcknowledgeEarly((ServerExchange)state!);
        }
        catch (Exception error)
        {
            BackgroundWork.Report(_logger, error, "acknowledging a request whose response is late");
        }
    }

    /// <summary>
    /// The empty ACK of a separate response (RFC 7252 §5.2.2). Not for a peer whose address is not verified: the
    /// response would then go as a CON, retransmitted up to MAX_RETRANSMIT times, several copies for one request
    /// (RFC 9175 §2.4); it is piggybacked whenever it is ready instead, and the client's retransmissions of the request
    /// meanwhile are duplicates that get it replayed once it exists.
    /// </summary>
    private void AcknowledgeEarly(ServerExchange exchange)
    {
        if (!_amplification.IsVerified(exchange.Peer))
        {
            return;
        }

        lock (exchange)
        {
            if (exchange.Responded)
            {
                return;
            }

            exchange.Acknowledged = true;
            exchange.Timer?.Dispose();
        }

        var request = exchange.Request;
        _messages.SendReply(exchange.Peer, request.MessageId, CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, request.MessageId));
    }

    private async Task CompleteLaterAsync(ServerExchange exchange, ValueTask<CoapMessage> pending)
    {
        CoapMessage response;
        try
        {
            response = await pending.ConfigureAwait(false) ?? Failed(exchange.Request, new InvalidOperationException("The handler returned no response."));
        }
        catch (Exception error)
        {
            response = Failed(exchange.Request, error);
        }

        bool separate;
        lock (exchange)
        {
            exchange.Responded = true;
            exchange.Timer?.Dispose();
            separate = exchange.Acknowledged;
        }

        // Nobody awaits this task: a failure is logged here rather than lost (BackgroundWork's rule, without its
        // continuation on a per-request path).
        try
        {
            Respond(exchange.Peer, exchange.Request, response, separate);
        }
        catch (Exception error)
        {
            BackgroundWork.Report(_logger, error, "sending a late response");
        }
    }

    private void Respond(CoapPeer peer, CoapMessage request, CoapMessage response, bool separate)
    {
        if (ReferenceEquals(response, NoResponse))
        {
            if (request.Type == CoapMessageType.Confirmable && !separate)
            {
                _messages.SendReply(peer, request.MessageId, CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, request.MessageId));
            }

            return;
        }

        response.Token = request.Token;
        DiagnosticPayload.Cap(response, request, _options.MaxBlockSize);
        response = _amplification.Limit(peer, request, response);
        if (request.Type == CoapMessageType.Confirmable && !separate)
        {
            response.Type = CoapMessageType.Acknowledgement;
            response.MessageId = request.MessageId;
            _messages.SendReply(peer, request.MessageId, response);
        }
        else if (request.Type == CoapMessageType.Confirmable)
        {
            response.Type = CoapMessageType.Confirmable;
            response.MessageId = _messages.NextMessageId();
            _ = SendSeparateAsync(peer, response);
        }
        else
        {
            response.Type = CoapMessageType.NonConfirmable;
            response.MessageId = _messages.NextMessageId();
            _messages.SendReply(peer, request.MessageId, response);
        }
    }

    /// <remarks>Nobody awaits this task, so it logs its own failure.</remarks>
    private async Task SendSeparateAsync(CoapPeer peer, CoapMessage response)
    {
        try
        {
            var outcome = await _messages.SendConfirmable(peer, response).ConfigureAwait(false);
            if (outcome.Result != TransmissionResult.Acknowledged)
            {
                Log.SeparateResponseLost(_logger, peer, outcome.Result);
            }
        }
        catch (Exception error)
        {
            BackgroundWork.Report(_logger, error, "sending a separate response");
        }
    }

    private CoapMessage Result(CoapMessage request, ValueTask<CoapMessage> completed)
    {
        try
        {
            return completed.Result ?? Failed(request, new InvalidOperationException("The handler returned no response."));
        }
        catch (Exception error)
        {
            return Failed(request, error);
        }
    }

    private CoapMessage Failed(CoapMessage request, Exception error)
    {
        Log.HandlerFailed(_logger, error, request.GetUriPath());
        return CoapMessage.CreateResponse(CoapCode.InternalServerError);
    }
}
