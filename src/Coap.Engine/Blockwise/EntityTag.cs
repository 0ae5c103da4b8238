using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Coap.Engine.Blockwise;

/// <summary>
/// A strong 8-byte ETag (RFC 7252 §5.10.6) for a representation whose resource set none, so that a client can tell
/// that the blocks it combines belong to one representation (RFC 7959 §2.4). FNV-1a 64 over 8-byte words: cheap and
/// good enough to tell versions apart, not a cryptographic hash.
/// </summary>
internal static class EntityTag
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>
    /// The last tag computed for each payload array, so a resource that hands out the same array for every block
    /// request is hashed once, not once per block. A resource that changes an array in place after handing it out
    /// must set its own ETag.
    /// </summary>
    private static readonly ConditionalWeakTable<byte[], Computed> Cache = [];

    public static ReadOnlyMemory<byte> For(ReadOnlyMemory<byte> payload)
    {
        if (!MemoryMarshal.TryGetArray(payload, out var segment) || segment.Array is null)
        {
            return Compute(payload.Span);
        }

        if (Cache.TryGetValue(segment.Array, out var known) && known.Offset == segment.Offset && known.Length == segment.Count)
        {
            return known.Tag;
        }

        var tag = Compute(payload.Span);
        Cache.AddOrUpdate(segment.Array, new Computed(segment.Offset, segment.Count, tag));
        return tag;
    }

    public static byte[] Compute(ReadOnlySpan<byte> data)
    {
        var hash = OffsetBasis ^ (ulong)data.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var word in words)
        {
            hash = (hash ^ word) * Prime;
        }

        foreach (var b in data[(words.Length * sizeof(ulong))..])
        {
            hash = (hash ^ b) * Prime;
        }

        var tag = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(tag, hash);
        return tag;
    }

    private sealed record Computed(int Offset, int Length, byte[] Tag);
}
