using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

/// <summary>Why a protected message was not accepted (RFC 8613 §8.2 for requests, §8.4 for responses).</summary>
public enum OscoreFailure
{
    None,

    /// <summary>The OSCORE option is malformed, or a request lacks its kid or Partial IV: 4.02 (§8.2 step 2).</summary>
    MalformedOption,

    /// <summary>No security context for the kid (and kid context): 4.01 "Security context not found" (§8.2 step 3).</summary>
    UnknownContext,

    /// <summary>The Partial IV was seen before or is behind the window: 4.01 "Replay detected" (§7.4).</summary>
    Replay,

    /// <summary>The tag does not verify, or the ciphertext is too short: 4.00 "Decryption failed" (§8.2 step 6).</summary>
    DecryptionFailed,

    /// <summary>The decrypted plaintext is not a code, options and payload of the right kind: 4.00.</summary>
    MalformedPlaintext,

    /// <summary>
    /// After a restart the window is unknown and the request carried no valid Echo (§B.1.2): answer with
    /// <see cref="OscoreSecurityContext.CreateEchoChallenge"/>, a protected 4.01 with Echo; the request is not processed.
    /// </summary>
    EchoRequired,

    /// <summary>The Sender Sequence Numbers are used up (2^40) or could not be persisted: nothing can be sent (§7.2.1).</summary>
    SenderExhausted,

    /// <summary>The context's state could not be written, so the message was not accepted or sent: 5.00.</summary>
    StateNotSaved,
}

public static class OscoreFailures
{
    /// <summary>The code of the unprotected error response to a request that failed this way (§8.2).</summary>
    public static CoapCode ResponseCode(this OscoreFailure failure) => failure switch
    {
        OscoreFailure.MalformedOption => CoapCode.BadOption,
        OscoreFailure.UnknownContext or OscoreFailure.Replay or OscoreFailure.EchoRequired => CoapCode.Unauthorized,
        OscoreFailure.SenderExhausted => CoapCode.ServiceUnavailable,
        OscoreFailure.StateNotSaved => CoapCode.InternalServerError,
        _ => CoapCode.BadRequest,
    };

    /// <summary>
    /// The unprotected error response (§8.2): the code, a diagnostic payload, Max-Age 0 so nothing caches it. Not for
    /// <see cref="OscoreFailure.EchoRequired"/>, whose answer is protected.
    /// </summary>
    public static CoapMessage ToErrorResponse(this OscoreFailure failure)
    {
        var diagnostic = failure switch
        {
            OscoreFailure.MalformedOption => "Bad OSCORE option",
            OscoreFailure.UnknownContext => "Security context not found",
            OscoreFailure.Replay => "Replay detected",
            OscoreFailure.DecryptionFailed => "Decryption failed",
            OscoreFailure.MalformedPlaintext => "Malformed protected message",
            OscoreFailure.SenderExhausted => "Security context exhausted",
            OscoreFailure.StateNotSaved => "Security context state not saved",
            _ => throw new ArgumentException($"{failure} has no unprotected error response.", nameof(failure)),
        };
        var response = CoapMessage.CreateResponse(failure.ResponseCode(), Encoding.UTF8.GetBytes(diagnostic));
        response.MaxAge = 0;
        return response;
    }
}
