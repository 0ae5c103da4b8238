using Coap.Engine.Protocol;

namespace Services.FileServer;

/// <summary>If-Match, If-None-Match (RFC 7252 §5.10.8) and ETag (§5.10.6.2) against a resource's current ETag.</summary>
internal static class Preconditions
{
    /// <summary>
    /// Whether the request may go on: every If-Match fails on a missing resource, an empty If-Match matches any
    /// existing one, another matches its ETag; If-None-Match fails on an existing resource.
    /// </summary>
    public static bool Hold(CoapMessage request, Func<byte[]>? current)
    {
        if (request.Options.Contains(OptionNumber.IfNoneMatch) && current is not null)
        {
            return false;
        }

        if (!request.Options.Contains(OptionNumber.IfMatch))
        {
            return true;
        }

        if (current is null)
        {
            return false;
        }

        var tag = current();
        foreach (var option in request.Options.GetAll(OptionNumber.IfMatch))
        {
            if (option.Value.IsEmpty || option.Value.Span.SequenceEqual(tag))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether one of the request's ETag options names <paramref name="tag"/>: then 2.03 Valid answers the GET. An
    /// empty ETag option is not a valid ETag (RFC 7252 §5.10.6 gives 1–8 bytes), but some clients send one to ask for
    /// the tag: it is ignored rather than refused.
    /// </summary>
    public static bool Validates(CoapMessage request, byte[] tag)
    {
        foreach (var option in request.Options.GetAll(OptionNumber.ETag))
        {
            if (!option.Value.IsEmpty && option.Value.Span.SequenceEqual(tag))
            {
                return true;
            }
        }

        return false;
    }
}
