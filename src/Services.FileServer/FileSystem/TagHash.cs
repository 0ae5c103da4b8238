using System.Buffers.Binary;
using System.Text;

namespace Services.FileServer.FileSystem;

/// <summary>FNV-1a 64, the hash behind the file service's 8-byte ETags: cheap, and enough to tell versions apart.</summary>
internal struct TagHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    private ulong _hash;
    private bool _started;

    public void Add(ulong value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        Add(bytes);
    }

    public void Add(string text) => Add(Encoding.UTF8.GetBytes(text));

    public void Add(ReadOnlySpan<byte> bytes)
    {
        if (!_started)
        {
            _hash = OffsetBasis;
            _started = true;
        }

        foreach (var b in bytes)
        {
            _hash = (_hash ^ b) * Prime;
        }
    }

    public readonly byte[] ToTag()
    {
        var tag = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(tag, _started ? _hash : OffsetBasis);
        return tag;
    }
}
