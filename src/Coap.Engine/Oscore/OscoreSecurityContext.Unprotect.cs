using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

public sealed partial class OscoreSecurityContext
{
    /// <summary>
    /// Verifies and decrypts a request addressed to this context (RFC 8613 §8.2) whose OSCORE option was decoded into
    /// <paramref name="option"/> (<see cref="OscoreContextTable"/> does the decoding and the kid lookup). The replay
    /// check comes before any decryption when the window is known; after a restart with an unknown window the request
    /// is decrypted and accepted only with this context's Echo value inside, otherwise
    /// <see cref="OscoreFailure.EchoRequired"/> with a binding for <see cref="CreateEchoChallenge"/>. A request is
    /// marked seen only once it verified. Never throws on input; the work is one AEAD over the payload at most.
    /// </summary>
    public OscoreUnprotectResult UnprotectRequest(CoapMessage protectedRequest, OscoreOptionValue option)
    {
        if (option.Kid is not { } kid || !option.HasPartialIv)
        {
            return OscoreUnprotectResult.Fail(OscoreFailure.MalformedOption);
        }

        if (!kid.Span.SequenceEqual(RecipientId) || (option.KidContext is { } kidContext && (IdContext is null || !kidContext.Span.SequenceEqual(IdContext))))
        {
            return OscoreUnprotectResult.Fail(OscoreFailure.UnknownContext);
        }

        var partialIv = option.PartialIv.ToArray();
        var sequenceNumber = OscoreNonce.SequenceNumberOf(partialIv);
        lock (_lock)
        {
            if (_window.IsInitialized && !_window.IsValid(sequenceNumber))
            {
                return OscoreUnprotectResult.Fail(OscoreFailure.Replay);
            }
        }

        var failure = Open(protectedRequest, RecipientId, partialIv, RecipientId, partialIv, out var inner);
        if (failure != OscoreFailure.None)
        {
            return OscoreUnprotectResult.Fail(failure);
        }

        if (!inner!.IsRequest)
        {
            return OscoreUnprotectResult.Fail(OscoreFailure.MalformedPlaintext);
        }

        var binding = new OscoreRequestBinding(RecipientId, partialIv, requestNonceReusable: true);
        var accepted = Accept(sequenceNumber, inner);
        return accepted != OscoreFailure.None
            ? OscoreUnprotectResult.Fail(accepted, accepted == OscoreFailure.EchoRequired ? new OscoreRequestBinding(RecipientId, partialIv, false) : null)
            : new OscoreUnprotectResult(OscoreFailure.None, OscoreMessageSplit.Join(protectedRequest, inner), binding, sequenceNumber);
    }

    /// <summary>
    /// Verifies and decrypts a response to the request of <paramref name="binding"/> (§8.4): with its own Partial IV
    /// (a notification, C.8) or with the request's nonce (C.7). A kid or kid context in the option must be this
    /// context's peer. Ordering notifications by <see cref="OscoreUnprotectResult.PartialIv"/> is the caller's.
    /// </summary>
    public OscoreUnprotectResult UnprotectResponse(CoapMessage protectedResponse, OscoreRequestBinding binding)
    {
        if (!protectedResponse.Options.TryGet(OptionNumber.Oscore, out var raw) || !OscoreOptionValue.TryDecode(raw.Value, out var option))
        {
            return OscoreUnprotectResult.Fail(OscoreFailure.MalformedOption);
        }

        if ((option.Kid is { } kid && !kid.Span.SequenceEqual(RecipientId))
            || (option.KidContext is { } kidContext && (IdContext is null || !kidContext.Span.SequenceEqual(IdContext))))
        {
            return OscoreUnprotectResult.Fail(OscoreFailure.UnknownContext);
        }

        var own = option.HasPartialIv;
        var failure = own
            ? Open(protectedResponse, RecipientId, option.PartialIv.Span, binding.RequestKid, binding.RequestPartialIv, out var inner)
            : Open(protectedResponse, binding.RequestKid, binding.RequestPartialIv, binding.RequestKid, binding.RequestPartialIv, out inner);
        if (failure != OscoreFailure.None)
        {
            return OscoreUnprotectResult.Fail(failure);
        }

        return inner!.IsResponse
            ? new OscoreUnprotectResult(OscoreFailure.None, OscoreMessageSplit.Join(protectedResponse, inner), binding, own ? OscoreNonce.SequenceNumberOf(option.PartialIv.Span) : -1)
            : OscoreUnprotectResult.Fail(OscoreFailure.MalformedPlaintext);
    }

    /// <summary>Marks a verified request's number seen, or runs the Echo recovery when the window is unknown.</summary>
    private OscoreFailure Accept(long sequenceNumber, CoapMessage inner)
    {
        lock (_lock)
        {
            if (!_window.IsInitialized)
            {
                if (!inner.Options.TryGet(OptionNumber.Echo, out var echo) || !echo.Value.Span.SequenceEqual(EchoRecoveryValue.Span))
                {
                    return OscoreFailure.EchoRequired;
                }
            }
            else if (!_window.IsValid(sequenceNumber))
            {
                // Another copy of the same request verified first.
                return OscoreFailure.Replay;
            }

            // The stored window goes stale with this number: first store "unknown" so that a crash leads to the Echo
            // recovery (as aiocoap does; a clean shutdown stores the exact window, SaveExactState). If that cannot be
            // stored, the request is refused: a stale stored window would let this request be replayed after a crash.
            if (_windowPersisted)
            {
                if (!TrySave(new OscoreSequenceState(_persistedBound, null)))
                {
                    return OscoreFailure.StateNotSaved;
                }

                _windowPersisted = false;
            }

            if (_window.IsInitialized)
            {
                _window.StrikeOut(sequenceNumber);
            }
            else
            {
                _window.InitializeFromFreshlySeen(sequenceNumber);
            }
        }

        return OscoreFailure.None;
    }

    private OscoreFailure Open(CoapMessage protectedMessage, ReadOnlySpan<byte> idPiv, ReadOnlySpan<byte> partialIv, ReadOnlySpan<byte> requestKid, ReadOnlySpan<byte> requestPiv, out CoapMessage? inner)
    {
        inner = null;
        var ciphertext = protectedMessage.Payload.Span;
        if (ciphertext.Length < OscoreAlgorithm.TagLength + 1)
        {
            return OscoreFailure.DecryptionFailed;
        }

        Span<byte> nonce = stackalloc byte[OscoreAlgorithm.NonceLength];
        OscoreNonce.Build(CommonIv, idPiv, partialIv, nonce);
        var plaintext = new byte[ciphertext.Length - OscoreAlgorithm.TagLength];
        if (!TryDecrypt(nonce, ciphertext, plaintext, OscoreAad.Build(requestKid, requestPiv)))
        {
            return OscoreFailure.DecryptionFailed;
        }

        return OscorePlaintext.TryDecode(plaintext, out inner) ? OscoreFailure.None : OscoreFailure.MalformedPlaintext;
    }
}
