using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

public sealed partial class OscoreSecurityContext
{
    /// <summary>
    /// Protects a request (RFC 8613 §8.1): a new Partial IV from the Sender Sequence Number, the OSCORE option with it,
    /// the kid and (when the context has an ID Context) the kid context; outer code POST, or FETCH with Observe
    /// (§4.1.3.5). <see cref="OscoreFailure.SenderExhausted"/> when no sequence number is left or it could not be
    /// persisted. The binding is what <see cref="UnprotectResponse"/> needs.
    /// </summary>
    public OscoreFailure ProtectRequest(CoapMessage plain, out CoapMessage? protectedRequest, out OscoreRequestBinding? binding)
    {
        if (!plain.IsRequest)
        {
            throw new ArgumentException("Only a request can be protected as one.", nameof(plain));
        }

        protectedRequest = null;
        binding = null;
        var sequenceNumber = TakeSequenceNumber();
        if (sequenceNumber < 0)
        {
            return OscoreFailure.SenderExhausted;
        }

        var partialIv = OscoreNonce.PartialIvOf(sequenceNumber);
        var option = new OscoreOptionValue(partialIv, SenderId, IdContext is null ? (ReadOnlyMemory<byte>?)null : IdContext).Encode();
        var outerCode = plain.Options.Contains(OptionNumber.Observe) ? CoapCode.Fetch : CoapCode.Post;
        var ciphertext = Seal(plain, SenderId, partialIv, SenderId, partialIv);
        protectedRequest = OscoreMessageSplit.Outer(plain, outerCode, option, ciphertext);
        binding = new OscoreRequestBinding(SenderId, partialIv, requestNonceReusable: false);
        return OscoreFailure.None;
    }

    /// <summary>
    /// Protects a response to the request of <paramref name="binding"/> (§8.3): the first response to a verified request
    /// reuses the request's nonce and carries an empty OSCORE option (C.7); with <paramref name="ownPartialIv"/>, and
    /// for every later response (notifications), a new Partial IV of this sender (C.8). Outer code 2.04, or 2.05 for a
    /// response carrying Observe (§4.1.3.5).
    /// </summary>
    public OscoreFailure ProtectResponse(CoapMessage plain, OscoreRequestBinding binding, out CoapMessage? protectedResponse, bool ownPartialIv = false)
    {
        if (!plain.IsResponse)
        {
            throw new ArgumentException("Only a response can be protected as one.", nameof(plain));
        }

        protectedResponse = null;
        byte[] option;
        byte[] ciphertext;
        if (!ownPartialIv && binding.TryClaimRequestNonce())
        {
            option = [];
            ciphertext = Seal(plain, binding.RequestKid, binding.RequestPartialIv, binding.RequestKid, binding.RequestPartialIv);
        }
        else
        {
            var sequenceNumber = TakeSequenceNumber();
            if (sequenceNumber < 0)
            {
                return OscoreFailure.SenderExhausted;
            }

            var partialIv = OscoreNonce.PartialIvOf(sequenceNumber);
            option = new OscoreOptionValue(partialIv, null, null).Encode();
            ciphertext = Seal(plain, SenderId, partialIv, binding.RequestKid, binding.RequestPartialIv);
        }

        var outerCode = plain.Options.Contains(OptionNumber.Observe) ? CoapCode.Content : CoapCode.Changed;
        protectedResponse = OscoreMessageSplit.Outer(plain, outerCode, option, ciphertext);
        return OscoreFailure.None;
    }

    /// <summary>
    /// The answer of a restarted server to a request it could not judge (§B.1.2): a 4.01 with this context's Echo value,
    /// protected with a Partial IV of its own (the request's nonce is never reused for an unverified request).
    /// </summary>
    public OscoreFailure CreateEchoChallenge(OscoreRequestBinding binding, out CoapMessage? protectedResponse)
    {
        var challenge = CoapMessage.CreateResponse(CoapCode.Unauthorized);
        challenge.Options.Add(OptionNumber.Echo, EchoRecoveryValue);
        return ProtectResponse(challenge, binding, out protectedResponse, ownPartialIv: true);
    }

    /// <summary>Encrypts code, Inner options and payload with the nonce of (idPiv, partialIv) and the AAD of the request.</summary>
    private byte[] Seal(CoapMessage plain, ReadOnlySpan<byte> idPiv, ReadOnlySpan<byte> partialIv, ReadOnlySpan<byte> requestKid, ReadOnlySpan<byte> requestPiv)
    {
        var plaintext = OscorePlaintext.Encode(plain.Code, OscoreMessageSplit.Inner(plain), plain.Payload);
        Span<byte> nonce = stackalloc byte[OscoreAlgorithm.NonceLength];
        OscoreNonce.Build(CommonIv, idPiv, partialIv, nonce);
        var ciphertext = new byte[plaintext.Length + OscoreAlgorithm.TagLength];
        Encrypt(nonce, plaintext, ciphertext, OscoreAad.Build(requestKid, requestPiv));
        return ciphertext;
    }
}
