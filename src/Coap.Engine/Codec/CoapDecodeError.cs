namespace Coap.Engine.Codec;

/// <summary>Why a datagram is not a well-formed CoAP message (RFC 7252 §3, §4.1, §4.2).</summary>
public enum CoapDecodeError
{
    None,

    /// <summary>Fewer than the 4 header bytes.</summary>
    TooShort,

    /// <summary>Version field other than 1 (RFC 7252 §3: silently ignored).</summary>
    UnsupportedVersion,

    /// <summary>Token length 9 to 15, reserved.</summary>
    InvalidTokenLength,

    /// <summary>The datagram ends inside the token.</summary>
    TruncatedToken,

    /// <summary>Option delta or length nibble 15 without being the payload marker.</summary>
    ReservedOptionNibble,

    /// <summary>The datagram ends inside an option's extended fields or value.</summary>
    TruncatedOption,

    /// <summary>Option number beyond 65535 after adding the deltas.</summary>
    OptionNumberTooLarge,

    /// <summary>A payload marker followed by a zero-length payload.</summary>
    PayloadMarkerWithoutPayload,

    /// <summary>An empty message (code 0.00) with a token, options or payload (RFC 7252 §4.1).</summary>
    EmptyMessageNotEmpty,
}
