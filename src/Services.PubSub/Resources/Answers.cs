using System.Text;
using Coap.Engine.Protocol;
using Services.PubSub.State;
using Services.PubSub.Topics;

namespace Services.PubSub.Resources;

/// <summary>The broker's responses: errors carry a diagnostic payload (RFC 7252 §5.5.2) saying what to fix.</summary>
internal static class Answers
{
    public static ValueTask<CoapMessage> Error(CoapCode code, string diagnostic) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(code, Encoding.UTF8.GetBytes(diagnostic)));

    public static ValueTask<CoapMessage> Map(CoapCode code, byte[] map, int contentFormat) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(code, map, contentFormat));

    public static ValueTask<CoapMessage> NoTopic() => Error(CoapCode.NotFound, "no such topic");

    /// <summary>The change could not be written to the state directory, so the broker did not make it: 5.00.</summary>
    public static ValueTask<CoapMessage> NotSaved(StateWriteException error) => Error(CoapCode.InternalServerError, error.Message);

    /// <summary>Too many changes wait for the state directory: 5.03 with Max-Age, retry then.</summary>
    public static ValueTask<CoapMessage> Busy(WriterBusyException error)
    {
        var response = CoapMessage.CreateResponse(CoapCode.ServiceUnavailable, Encoding.UTF8.GetBytes(error.Message));
        response.MaxAge = WriterBusyException.RetryAfterSeconds;
        return ValueTask.FromResult(response);
    }

    /// <summary>The shared store (Redis) is unreachable, so the change was not made known as done: 5.03 with Max-Age, retry then.</summary>
    public static ValueTask<CoapMessage> Unavailable(StoreUnavailableException error)
    {
        var response = CoapMessage.CreateResponse(CoapCode.ServiceUnavailable, Encoding.UTF8.GetBytes(error.Message));
        response.MaxAge = StoreUnavailableException.RetryAfterSeconds;
        return ValueTask.FromResult(response);
    }

    public static ValueTask<CoapMessage> TooLarge(PayloadTooLargeException error)
    {
        var response = CoapMessage.CreateResponse(CoapCode.RequestEntityTooLarge, Encoding.UTF8.GetBytes(error.Message));
        response.Options.SetUInt(OptionNumber.Size1, (uint)error.Limit);
        return ValueTask.FromResult(response);
    }

    /// <summary>A request payload must carry the configuration Content-Format (or, where allowed, plain CBOR).</summary>
    public static bool HasFormat(CoapMessage request, int format, bool cborToo = false) =>
        request.ContentFormat == format || (cborToo && request.ContentFormat == ContentFormat.Cbor);
}
