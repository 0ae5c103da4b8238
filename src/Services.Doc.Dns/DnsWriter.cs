using System.Buffers.Binary;

namespace Services.Doc.Dns;

/// <summary>
/// Writes a DNS message, compressing names (RFC 1035 §4.1.4) against every name suffix already written within the
/// first 16 KiB; names in RDATA are compressed only for the RFC 1035 types (RFC 3597 §4).
/// </summary>
internal sealed class DnsWriter
{
    private const int MaxMessageLength = ushort.MaxValue;
    private const int MaxPointerTarget = 0x3FFF;

    private readonly Dictionary<string, int> _suffixes = new(StringComparer.OrdinalIgnoreCase);
    private byte[] _buffer = new byte[512];

    public int Length { get; private set; }

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

    /// <summary>Overwrites a 16-bit field written earlier (an RDLENGTH once its RDATA is known).</summary>
    public void PatchUInt16(int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset, 2), value);

    public void WriteName(string name, bool compress)
    {
        var labels = DnsName.ToLabels(name);
        for (var i = 0; i < labels.Count; i++)
        {
            var suffix = SuffixKey(labels, i);
            if (compress && _suffixes.TryGetValue(suffix, out var target))
            {
                WriteUInt16((ushort)(0xC000 | target));
                return;
            }

            if (Length <= MaxPointerTarget)
            {
                _suffixes.TryAdd(suffix, Length);
            }

            WriteByte((byte)labels[i].Length);
            WriteBytes(labels[i]);
        }

        WriteByte(0);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private static string SuffixKey(List<byte[]> labels, int from)
    {
        var key = new System.Text.StringBuilder();
        for (var i = from; i < labels.Count; i++)
        {
            DnsName.AppendLabel(key, labels[i]);
        }

        return key.ToString();
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > MaxMessageLength)
        {
            throw new DnsFormatException($"message longer than {MaxMessageLength} octets", -1);
        }

        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(MaxMessageLength, Math.Max(_buffer.Length * 2, Length + count)));
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
