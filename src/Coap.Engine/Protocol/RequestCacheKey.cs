using System.Buffers.Binary;

namespace Coap.Engine.Protocol;

/// <summary>
/// The bytes that identify what a request asks for (RFC 7252 §5.4.6, §5.6): its method and every cache-key option
/// (not the NoCacheKey ones), minus options a caller excludes, and the payload where it selects the answer (FETCH,
/// RFC 8132 §2). Two requests with equal keys ask for the same representation.
/// </summary>
internal static class RequestCacheKey
{
    public static byte[] Encode(CoapMessage request, ReadOnlySpan<ushort> excluded, bool includePayload)
    {
        var length = 1 + (includePayload ? request.Payload.Length : 0);
        foreach (var option in request.Options)
        {
            if (IsKey(option.Number, excluded))
            {
                length += 4 + option.Value.Length;
            }
        }

        var bytes = new byte[length];
        bytes[0] = request.Code.Value;
        var at = 1;
        foreach (var option in request.Options)
        {
            if (IsKey(option.Number, excluded))
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), option.Number);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at + 2), (ushort)option.Value.Length);
                option.Value.Span.CopyTo(bytes.AsSpan(at + 4));
                at += 4 + option.Value.Length;
            }
        }

        if (includePayload)
        {
            request.Payload.Span.CopyTo(bytes.AsSpan(at));
        }

        return bytes;
    }

    private static bool IsKey(ushort number, ReadOnlySpan<ushort> excluded) =>
        !OptionNumber.IsNoCacheKey(number) && !excluded.Contains(number);
}
