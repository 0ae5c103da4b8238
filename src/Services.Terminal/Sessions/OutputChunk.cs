using System.Formats.Cbor;

namespace Services.Terminal.Sessions;

/// <summary>
/// A piece of output as the resources send it: the CBOR sequence (RFC 8742) "offset, bytes", followed by the exit
/// status once the process has ended and the piece reaches the end of its output. Encoded once: a read snapshot
/// answers every Block2 request of one transfer (up to 64 per 64 KiB read) from the same bytes.
/// </summary>
internal sealed record OutputChunk(long Offset, byte[] Bytes, int? Exit)
{
    public static readonly OutputChunk Empty = new(0, [], null);

    private byte[]? _encoded;

    public byte[] Encode() => _encoded ??= Write();

    private byte[] Write()
    {
        var writer = new CborWriter(allowMultipleRootLevelValues: true);
        writer.WriteUInt64((ulong)Offset);
        writer.WriteByteString(Bytes);
        if (Exit is { } exit)
        {
            writer.WriteInt32(exit);
        }

        return writer.Encode();
    }
}
