using System.Buffers.Binary;

namespace Services.Doc;

/// <summary>The ETag of a response body (RFC 7252 §5.10.6): its 64-bit FNV-1a hash, so equal bodies revalidate to 2.03.</summary>
internal static class BodyTag
{
    private const ulong OffsetBasis = 0xCBF29CE484222325;
    private const ulong Prime = 0x100000001B3;

    public static byte[] Of(ReadOnlySpan<byte> body)
    {
        var hash = OffsetBasis;
        foreach (var b in body)
        {
            hash = (hash ^ b) * Prime;
        }

        var tag = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(tag, hash);
        return tag;
    }
}
