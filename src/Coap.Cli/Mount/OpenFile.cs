using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Mount;

/// <summary>
/// A file opened through the mount. Reads go to the server by range until the file is first written or truncated;
/// then its whole content is held here (in memory, up to <see cref="MaxBuffered"/>) and every read and write works on
/// that copy. The copy is uploaded once, atomically, with If-Match of the ETag the file had when it was opened, when
/// it is flushed or released dirty. Calls on one handle are serialised by its lock.
/// </summary>
internal sealed class OpenFile
{
    /// <summary>The most a handle buffers: a larger file is EFBIG through the mount (use coap put).</summary>
    public const long MaxBuffered = 1L << 30;

    private MemoryStream? _content;

    public OpenFile(string path, CoapUri uri, FileETag? etag, long size)
    {
        Path = path;
        Uri = uri;
        ETag = etag;
        RemoteSize = size;
    }

    public Lock Gate { get; } = new();

    public string Path { get; }

    public CoapUri Uri { get; }

    /// <summary>The ETag the upload must still find on the server: the one at open, then the one of our last upload.</summary>
    public FileETag? ETag { get; set; }

    /// <summary>The size on the server when opened, for reads before anything is buffered.</summary>
    public long RemoteSize { get; }

    /// <summary>Whether the buffered content differs from what the server has.</summary>
    public bool Dirty { get; private set; }

    /// <summary>Set when an upload failed: the handle's changes are dropped, not retried on every later close.</summary>
    public bool Failed { get; set; }

    /// <summary>The buffered content, once loaded (null while reads go to the server).</summary>
    public MemoryStream? Content => _content;

    /// <summary>The size as the handle sees it.</summary>
    public long Size => _content?.Length ?? RemoteSize;

    /// <summary>Starts from an empty file (O_TRUNC or a new file); <paramref name="dirty"/> when the server still has other content.</summary>
    public void StartEmpty(bool dirty)
    {
        _content = new MemoryStream();
        Dirty = dirty;
    }

    /// <summary>Takes the whole current content as the buffer's start.</summary>
    public void Load(MemoryStream content) => _content = content;

    public int Read(Span<byte> destination, long offset)
    {
        var content = _content!;
        if (offset >= content.Length)
        {
            return 0;
        }

        var count = (int)Math.Min(destination.Length, content.Length - offset);
        content.GetBuffer().AsSpan((int)offset, count).CopyTo(destination);
        return count;
    }

    public void Write(ReadOnlySpan<byte> source, long offset)
    {
        var content = _content!;
        if (offset > content.Length)
        {
            content.SetLength(offset);
        }

        content.Position = offset;
        content.Write(source);
        Dirty = true;
    }

    public void SetLength(long length)
    {
        _content!.SetLength(length);
        Dirty = true;
    }

    /// <summary>The upload went through (or was given up): the server has what it will get of this buffer.</summary>
    public void MarkClean() => Dirty = false;

    public ReadOnlyMemory<byte> Bytes => _content!.GetBuffer().AsMemory(0, (int)_content.Length);
}
