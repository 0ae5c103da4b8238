using System.Net.Sockets;
using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Hosting;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;
using Coap.Engine.Transport.Dtls;

namespace Coap.Engine.Exchanges;

/// <summary>Requests out: tokens, NSTART, reliable transmission and response matching (RFC 7252 §4.7, §5.3).</summary>
public sealed partial class CoapEndpoint
{
    /// <summary>Whether awaiters of a response continue on the thread that received it (<see cref="CoapClientOptions.ContinueOnReceiveThread"/>).</summary>
    internal bool InlineResponses { get; init; }

    /// <summary>
    /// Sends a request and returns its response. A token is chosen unless the request carries one; the message
    /// ID is always fresh. Throws <see cref="CoapTimeoutException"/> when a CON goes unacknowledged,
    /// <see cref="CoapResetException"/> on RST, and <see cref="OperationCanceledException"/> on cancellation.
    /// </summary>
    public Task<CoapMessage> SendRequestAsync(CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken = default) =>
        SendRequestAsync(request, remote, _options.Transmission, InlineResponses, cancellationToken);

    /// <summary>
    /// As <see cref="SendRequestAsync(CoapMessage, IPEndPoint, CancellationToken)"/> with the sender's own transmission
    /// parameters (ACK_TIMEOUT, MAX_RETRANSMIT, NSTART: a client sharing a server's endpoint, see
    /// <see cref="CoapClient"/>) and its own choice of where the awaiter continues (<paramref name="inline"/>: on the
    /// thread that received the response). NSTART is the one of the first request to the peer.
    /// </summary>
    internal async Task<CoapMessage> SendRequestAsync(CoapMessage request, IPEndPoint remote, CoapTransmissionOptions transmission, bool inline, CancellationToken cancellationToken)
    {
        var peer = FindPeer(remote);
        var gate = NStartGate(peer, transmission.NStart);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        ClientExchange? exchange = null;
        try
        {
            exchange = Open(peer, request, streaming: false, inline);
            request.MessageId = _messages.NextMessageId();
            exchange.MessageId = request.MessageId;
            if (request.Type == CoapMessageType.Confirmable)
            {
                _ = WatchTransmissionAsync(exchange, _messages.SendConfirmable(peer, request, inline, transmission), transmission.MaxRetransmit);
            }
            else
            {
                _messages.Send(peer, request);
            }

            using (cancellationToken.Register(static state => ((ClientExchange)state!).Response.TrySetCanceled(), exchange))
            {
                return await exchange.Response.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            if (exchange is not null)
            {
                _matcher.Remove(exchange);
                _messages.Cancel(peer, exchange.MessageId);
            }

            gate.Release();
        }
    }

    /// <summary>
    /// Opens a streaming exchange (an observation, RFC 7641 §3.1): every response with the request's token goes
    /// into the exchange's channel until <see cref="CloseStream"/>. The NSTART gate is not held: once the first
    /// response arrives the exchange is no longer outstanding. The request is not sent; see <see cref="Transmit"/>.
    /// With <paramref name="inline"/> the reader waiting on the channel continues on the thread that delivers (a
    /// Q-Block transfer: its turn is short, and its next requests then go out with the receive thread's batch).
    /// </summary>
    internal ClientExchange OpenStream(CoapMessage request, IPEndPoint remote, bool inline = false) =>
        Open(FindPeer(remote), request, streaming: true, inline);

    /// <summary>Sends a request on an open streaming exchange with a fresh message ID (registration or re-registration).</summary>
    internal void Transmit(ClientExchange exchange, CoapMessage request)
    {
        request.Token = exchange.Token;
        request.MessageId = _messages.NextMessageId();
        exchange.MessageId = request.MessageId;
        if (request.Type == CoapMessageType.Confirmable)
        {
            _ = WatchTransmissionAsync(exchange, _messages.SendConfirmable(exchange.Peer, request), _options.Transmission.MaxRetransmit);
        }
        else
        {
            _messages.Send(exchange.Peer, request);
        }
    }

    /// <summary>Forgets a streaming exchange: later responses with its token are unmatched and reset (§5.3.2).</summary>
    internal void CloseStream(ClientExchange exchange)
    {
        _matcher.Remove(exchange);
        _messages.Cancel(exchange.Peer, exchange.MessageId);
        exchange.Notifications?.Writer.TryComplete();
    }

    /// <param name="inline">Whether the response's awaiter, or the stream's reader, continues on the delivering thread.</param>
    private ClientExchange Open(CoapPeer peer, CoapMessage request, bool streaming, bool inline)
    {
        var chosen = request.Token.Length > 0;
        while (true)
        {
            if (!chosen)
            {
                request.Token = CoapToken.FromUInt64(_messages.NextRandom(), CoapToken.MaxLength);
            }

            var exchange = new ClientExchange(peer, request.Token, streaming, inline);
            if (_matcher.TryAdd(exchange))
            {
                return exchange;
            }

            if (chosen)
            {
                throw new InvalidOperationException($"Token {request.Token} is already in use with {peer}.");
            }
        }
    }

    /// <remarks>Nobody awaits this task, so it logs its own failure.</remarks>
    private async Task WatchTransmissionAsync(ClientExchange exchange, Task<TransmissionOutcome> transmission, int maxRetransmit)
    {
        try
        {
            var outcome = await transmission.ConfigureAwait(false);
            switch (outcome.Result)
            {
                case TransmissionResult.Reset:
                    exchange.Fail(new CoapResetException($"{exchange.Peer} answered the request with RST."));
                    break;
                case TransmissionResult.TimedOut when exchange.Notifications is not null && exchange.Answered:
                    // A stream its peer answers on (a Q-Block2 transfer's blocks after its CON probe) lost this CON,
                    // not its peer: the reader judges by its own deadline what is missing and a Q-Block transfer asks
                    // again. At 30 % loss each way, 3 % of CONs go unanswered five times over.
                    break;
                case TransmissionResult.TimedOut:
                    exchange.Fail(new CoapTimeoutException(
                        $"{exchange.Peer} did not acknowledge the request after {maxRetransmit} retransmissions."));
                    break;
            }
        }
        catch (Exception error)
        {
            BackgroundWork.Report(_logger, error, "watching a request's transmission");
        }
    }

    /// <summary>A separate response (CON or NON) to one of our requests; anything unmatched is reset (§5.3.2).</summary>
    private void OnResponse(CoapPeer peer, CoapMessage response)
    {
        if (!_messages.Admit(peer, response))
        {
            return;
        }

        if (!_matcher.TryFind(peer, response.Token, out var exchange))
        {
            Unmatched(DropReason.UnmatchedResponse, peer, response);
            _messages.SendReply(peer, response.MessageId, CoapMessage.CreateEmpty(CoapMessageType.Reset, response.MessageId));
            return;
        }

        if (response.Type == CoapMessageType.Confirmable)
        {
            _messages.SendReply(peer, response.MessageId, CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, response.MessageId));
        }

        _messages.Cancel(peer, exchange!.MessageId);
        exchange.Deliver(response);
    }

    /// <summary>Whether one of the endpoint's transports can send a request to <paramref name="remote"/> (see <see cref="FindPeer"/>).</summary>
    internal bool CanReach(IPEndPoint remote)
    {
        foreach (var binding in _bindings)
        {
            if (Target(binding.Transport, remote) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The peer for <paramref name="remote"/> on the first transport that can send to it: not a DTLS server socket (it
    /// answers sessions, it does not open them), the same address family (IPv4 through a dual-stack socket), and, for
    /// a socket bound to one address, a loopback one only for a loopback peer and the other way round.
    /// </summary>
    private CoapPeer FindPeer(IPEndPoint remote)
    {
        foreach (var binding in _bindings)
        {
            if (Target(binding.Transport, remote) is { } target)
            {
                return binding.GetPeer(target.Serialize(), _messages.Time.GetTimestamp())
                    ?? throw new CoapException($"Too many peers (Coap:MaxPeers) to add {remote}.");
            }
        }

        throw new CoapException($"No transport of this endpoint can reach {remote}.");
    }

    /// <summary><paramref name="remote"/> as <paramref name="transport"/> addresses it, or null when it cannot send there.</summary>
    private static IPEndPoint? Target(IDatagramTransport transport, IPEndPoint remote)
    {
        if (transport is DtlsServerTransport)
        {
            return null;
        }

        var local = transport.LocalEndPoint;
        var target = remote;
        if (local.AddressFamily == AddressFamily.InterNetworkV6 && remote.AddressFamily == AddressFamily.InterNetwork)
        {
            if (!local.Address.Equals(IPAddress.IPv6Any))
            {
                return null;
            }

            target = new IPEndPoint(remote.Address.MapToIPv6(), remote.Port);
        }
        else if (local.AddressFamily != remote.AddressFamily)
        {
            return null;
        }

        var wildcard = local.Address.Equals(IPAddress.Any) || local.Address.Equals(IPAddress.IPv6Any);
        return wildcard || IPAddress.IsLoopback(local.Address) == IPAddress.IsLoopback(remote.Address) ? target : null;
    }

    private static SemaphoreSlim NStartGate(CoapPeer peer, int nstart)
    {
        lock (peer)
        {
            if (peer.NStartGate is null)
            {
                peer.NStart = nstart;
                peer.NStartGate = new SemaphoreSlim(nstart, nstart);
            }

            return peer.NStartGate;
        }
    }
}
