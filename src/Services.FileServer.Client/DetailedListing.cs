using System.Formats.Cbor;
using Coap.Engine.Client;

namespace Services.FileServer.Client;

/// <summary>
/// Reads the file service's CBOR listing (Content-Format 60): an array of maps with "name", "type" ("file" or "dir"),
/// "size", "mtime" (UNIX seconds) and "etag". Keys it does not know are skipped, so the server may add more. An entry
/// whose name <see cref="RemoteName"/> refuses is left out and noted; more than <c>maxEntries</c> entries are refused
/// as a whole.
/// </summary>
internal static class DetailedListing
{
    public static ListingEntries Parse(ReadOnlyMemory<byte> payload, CoapUri directory, int maxEntries)
    {
        try
        {
            var reader = new CborReader(payload);
            if (reader.ReadStartArray() > maxEntries)
            {
                throw ListingEntries.TooMany(directory, maxEntries);
            }

            var entries = new ListingEntries();
            while (reader.PeekState() != CborReaderState.EndArray)
            {
                if (entries.Count == maxEntries)
                {
                    throw ListingEntries.TooMany(directory, maxEntries);
                }

                entries.Add(ReadEntry(reader, directory));
            }

            reader.ReadEndArray();
            return entries;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            throw new CoapException($"The CBOR listing of {directory} is malformed: {error.Message}");
        }
    }

    private static RemoteEntry ReadEntry(CborReader reader, CoapUri directory)
    {
        string? name = null;
        string? type = null;
        long? size = null;
        DateTimeOffset? modified = null;
        FileETag? etag = null;
        reader.ReadStartMap();
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            switch (reader.ReadTextString())
            {
                case "name":
                    name = reader.ReadTextString();
                    break;
                case "type":
                    type = reader.ReadTextString();
                    break;
                case "size":
                    // A size past long is as unbelievable as one past RemoteEntry.MaxSize: ListingEntries drops both.
                    size = reader.PeekState() == CborReaderState.UnsignedInteger ? (long)Math.Min(reader.ReadUInt64(), long.MaxValue) : reader.ReadInt64();
                    break;
                case "mtime":
                    modified = DateTimeOffset.FromUnixTimeSeconds(reader.ReadInt64());
                    break;
                case "etag":
                    var bytes = reader.ReadByteString();
                    etag = bytes.Length is >= 1 and <= 8 ? new FileETag(bytes) : null;
                    break;
                default:
                    reader.SkipValue();
                    break;
            }
        }

        reader.ReadEndMap();
        if (name is null || type is not ("file" or "dir"))
        {
            throw new CoapException($"The CBOR listing of {directory} has an entry without a valid name and type");
        }

        return new RemoteEntry(name, type == "dir", size, null) { Modified = modified, ETag = etag };
    }
}
