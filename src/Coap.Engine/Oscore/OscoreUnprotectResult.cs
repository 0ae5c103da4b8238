using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

/// <summary>
/// The outcome of unprotecting: on success the plain message (an ordinary <see cref="CoapMessage"/> with the outer
/// header, token and Class U options and the inner code, options and payload) and the request binding.
/// <see cref="PartialIv"/> is the message's own sequence number, -1 when it had none (a response reusing the request's
/// nonce): a client orders notifications by it (§4.1.3.5.2).
/// </summary>
public readonly record struct OscoreUnprotectResult(OscoreFailure Failure, CoapMessage? Message, OscoreRequestBinding? Binding, long PartialIv)
{
    public bool Succeeded => Failure == OscoreFailure.None;

    internal static OscoreUnprotectResult Fail(OscoreFailure failure, OscoreRequestBinding? binding = null) => new(failure, null, binding, -1);
}
