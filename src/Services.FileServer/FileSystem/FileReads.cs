using Microsoft.Win32.SafeHandles;

namespace Services.FileServer.FileSystem;

/// <summary>Positional reads of an open file.</summary>
internal static class FileReads
{
    /// <summary>Reads at <paramref name="offset"/> until the buffer is full or the file ends; the bytes read.</summary>
    public static int ReadFully(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var count = RandomAccess.Read(handle, buffer[read..], offset + read);
            if (count == 0)
            {
                break;
            }

            read += count;
        }

        return read;
    }
}
