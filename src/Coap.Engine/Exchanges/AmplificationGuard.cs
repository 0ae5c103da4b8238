using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Exchanges;

/// <summary>
/// Keeps the server from being an amplifier for spoofed requests (RFC 9175 §2.4 item 3, updating RFC 7252 §11.3): a
/// response to a peer whose address is not verified may be at most <see cref="CoapEndpointOptions.AmplificationFactor"/>
/// times the request's datagram; a larger one is replaced by 4.01 Unauthorized with an Echo option
/// (<see cref="EchoValue"/>). A peer that repeats a request with that value proves it receives at its address and
/// counts as verified for <see cref="CoapEndpointOptions.EchoVerificationLifetime"/>, on its <see cref="CoapPeer"/>.
/// An Observe registration or a Q-Block2 request (RFC 9177) from an unverified peer is challenged before its handler
/// runs, whatever the size of its first response: the notifications or the burst it would start are not bounded by
/// that size. Loopback peers count as verified
/// unless <see cref="CoapEndpointOptions.LoopbackPeersVerified"/> is off.
/// </summary>
/// <remarks>
/// A verified peer costs one field read (loopback) or a clock read; the MAC is computed only for an unverified peer
/// that sends an Echo or gets a challenge.
/// </remarks>
internal sealed partial class AmplificationGuard
{
    private readonly EchoValue _echo = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _factor;
    private readonly long _lifetime;
    private readonly bool _loopbackVerified;

    public AmplificationGuard(CoapEndpointOptions options, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _factor = options.AmplificationFactor;
        _lifetime = (long)(options.EchoVerificationLifetime.TotalSeconds * time.TimestampFrequency);
        _loopbackVerified = options.LoopbackPeersVerified;
    }

    /// <summary>
    /// Before the request is dispatched: a valid Echo verifies the peer. A peer still unverified gets the challenge
    /// returned here instead of being dispatched for an Observe registration (GET or FETCH with Observe 0), and for an
    /// unsafe request to a resource that says <see cref="Server.ResourceMetadata.ChangesNeedVerifiedPeer"/>. A request
    /// with the OSCORE option is left to the dispatcher: its method, Observe and Echo are inside the encryption, and so
    /// must the challenge be for the client to accept it (RFC 8613, RFC 9175 §2.4); the server pipeline applies the
    /// same rules to the unprotected request (<see cref="NeedsVerifiedPeer"/>, <see cref="Verify"/>,
    /// <see cref="Fits"/>), and without OSCORE contexts answers 4.02.
    /// </summary>
    public CoapMessage? Admit(CoapPeer peer, CoapMessage request, IRequestDispatcher? dispatcher)
    {
        if (IsVerified(peer) || Verify(peer, request) || request.Options.Contains(OptionNumber.Oscore) || !NeedsVerifiedPeer(request, dispatcher))
        {
            return null;
        }

        Challenged(_logger, peer, request.Code);
        return Challenge(peer, request);
    }

    /// <summary>Whether the request may run for a verified peer only: a registration, or a change the resource guards.</summary>
    public static bool NeedsVerifiedPeer(CoapMessage request, IRequestDispatcher? dispatcher)
    {
        var code = request.Code;
        // An Observe registration or a Q-Block2 request (RFC 9177) starts responses not bounded by its own size.
        var registration = (request.Observe == 0 || request.Options.Contains(OptionNumber.QBlock2)) && (code == CoapCode.Get || code == CoapCode.Fetch);
        return registration || (code != CoapCode.Get && code != CoapCode.Fetch && dispatcher?.ChangesNeedVerifiedPeer(request) == true);
    }

    /// <summary>
    /// The response to send (its token set): the response itself when the peer is verified or the response is within
    /// the factor, the challenge otherwise; should even the challenge exceed the factor (a request of a few bytes), a
    /// bare 4.01, which is never larger than the request. The server pipeline caps a protected response first, with a
    /// protected challenge, so that one always passes here.
    /// </summary>
    public CoapMessage Limit(CoapPeer peer, CoapMessage request, CoapMessage response)
    {
        if (IsVerified(peer) || Fits(request, response))
        {
            return response;
        }

        Replaced(_logger, peer, CoapMessageWriter.GetEncodedLength(response), request.DatagramLength);
        var challenge = Challenge(peer, request);
        if (Fits(request, challenge))
        {
            return challenge;
        }

        var bare = CoapMessage.CreateResponse(CoapCode.Unauthorized);
        bare.Token = request.Token;
        return bare;
    }

    /// <summary>Whether the response is within the factor of the request's datagram.</summary>
    public bool Fits(CoapMessage request, CoapMessage response) =>
        CoapMessageWriter.GetEncodedLength(response) <= (long)_factor * request.DatagramLength;

    /// <summary>A 4.01 with an Echo for the peer's address: unprotected as it is, or for OSCORE to protect.</summary>
    public CoapMessage CreateChallenge(CoapPeer peer)
    {
        var challenge = CoapMessage.CreateResponse(CoapCode.Unauthorized);
        challenge.Options.Add(OptionNumber.Echo, _echo.Create(peer.Address, Seconds(_time.GetTimestamp())));
        return challenge;
    }

    /// <summary>Whether the peer is loopback (when that counts) or has verified its address within the lifetime.</summary>
    public bool IsVerified(CoapPeer peer)
    {
        var until = peer.VerifiedUntil;
        if (until == long.MaxValue)
        {
            return true;
        }

        if (_loopbackVerified && IsLoopback(peer.Address))
        {
            peer.VerifiedUntil = long.MaxValue;
            return true;
        }

        return until > _time.GetTimestamp();
    }

    /// <summary>
    /// Whether the request's Echo verifies the peer (and then it counts as verified for the lifetime). An Echo the peer
    /// had no reason to send, or one that does not verify, is ignored (RFC 9175 §2.3).
    /// </summary>
    public bool Verify(CoapPeer peer, CoapMessage request)
    {
        if (!request.Options.TryGet(OptionNumber.Echo, out var echo))
        {
            return false;
        }

        var now = _time.GetTimestamp();
        if (!_echo.IsValid(echo.Value.Span, peer.Address, Seconds(now)))
        {
            return false;
        }

        peer.VerifiedUntil = now + _lifetime;
        Verified(_logger, peer);
        return true;
    }

    private CoapMessage Challenge(CoapPeer peer, CoapMessage request)
    {
        var challenge = CreateChallenge(peer);
        challenge.Token = request.Token;
        return challenge;
    }

    private uint Seconds(long timestamp) => (uint)(timestamp / _time.TimestampFrequency);

    /// <summary>True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104, read from the socket address's bytes.</summary>
    private static bool IsLoopback(SocketAddress address)
    {
        var bytes = address.Buffer.Span;
        if (address.Family == AddressFamily.InterNetwork)
        {
            return bytes[4] == 127;
        }

        if (address.Family != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var ip = bytes.Slice(8, 16);
        return ip[..15].IndexOfAnyExcept((byte)0) < 0
            ? ip[15] == 1
            : ip[..10].IndexOfAnyExcept((byte)0) < 0 && ip[10] == 0xFF && ip[11] == 0xFF && ip[12] == 127;
    }

    [LoggerMessage(60, LogLevel.Debug, "Response of {Length} bytes to unverified {Peer} replaced by 4.01 with Echo (request {RequestLength} bytes)")]
    private static partial void Replaced(ILogger logger, CoapPeer peer, int length, int requestLength);

    [LoggerMessage(61, LogLevel.Debug, "{Method} from unverified {Peer} (a registration or a change that needs a verified peer) answered with 4.01 with Echo")]
    private static partial void Challenged(ILogger logger, CoapPeer peer, CoapCode method);

    [LoggerMessage(62, LogLevel.Debug, "{Peer} verified its address with an Echo")]
    private static partial void Verified(ILogger logger, CoapPeer peer);
}
