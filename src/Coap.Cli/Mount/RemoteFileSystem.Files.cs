using Services.FileServer.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Mount;

/// <summary>Open files: reads by range, writes into the handle's buffer, one atomic upload with If-Match when it is closed dirty.</summary>
internal sealed partial class RemoteFileSystem
{
    /// <summary>
    /// open: a read-only open takes size and ETag from the listing; an open for writing asks the server for the
    /// current ETag (one small GET), which the upload will require with If-Match. O_TRUNC starts from an empty buffer.
    /// </summary>
    public int Open(string path, int flags, out ulong handle)
    {
        handle = 0;
        var writing = (flags & O_ACCMODE) != 0;
        if (writing && _readOnly)
        {
            return -Errno.EROFS;
        }

        OpenFile open;
        if (writing)
        {
            var uri = FileUri(path);
            var info = Wait(_files.StatAsync(uri, _stop.Token));
            open = new OpenFile(path, uri, info.ETag, info.Size ?? 0);
            if ((flags & O_TRUNC) != 0)
            {
                open.StartEmpty(dirty: open.RemoteSize != 0);
            }
        }
        else
        {
            var (parent, name) = Split(path);
            if (!Listing(parent).TryGetValue(name, out var entry))
            {
                return -Errno.ENOENT;
            }

            open = new OpenFile(path, FileUri(path), entry.ETag, entry.Size ?? 0);
        }

        handle = Register(open);
        return 0;
    }

    /// <summary>create: the empty file is created on the server at once with If-None-Match (EEXIST if someone was first), so it exists for lookups and other clients.</summary>
    public int Create(string path, int flags, out ulong handle)
    {
        handle = 0;
        if (_readOnly)
        {
            return -Errno.EROFS;
        }

        FileETag? etag;
        try
        {
            etag = Wait(_files.WriteAsync(FileUri(path), ReadOnlyMemory<byte>.Empty, ifMatch: null, ifNoneMatch: true, progress: null, _stop.Token));
        }
        catch (CoapFileException error) when (error.Code == CoapCode.PreconditionFailed)
        {
            return -Errno.EEXIST;
        }
        finally
        {
            _cache.Invalidate(Split(path).Parent);
        }

        var open = new OpenFile(path, FileUri(path), etag, 0);
        open.StartEmpty(dirty: false);
        handle = Register(open);
        return 0;
    }

    public int Read(ulong handle, Span<byte> destination, long offset)
    {
        if (!_handles.TryGetValue(handle, out var open))
        {
            return -Errno.EBADF;
        }

        lock (open.Gate)
        {
            if (open.Content is not null)
            {
                return open.Read(destination, offset);
            }
        }

        var bytes = Wait(_files.ReadRangeAsync(open.Uri, offset, destination.Length, _stop.Token));
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    public int Write(ulong handle, ReadOnlySpan<byte> source, long offset)
    {
        if (!_handles.TryGetValue(handle, out var open))
        {
            return -Errno.EBADF;
        }

        if (offset + source.Length > OpenFile.MaxBuffered)
        {
            return -Errno.EFBIG;
        }

        lock (open.Gate)
        {
            Load(open);
            open.Write(source, offset);
            return source.Length;
        }
    }

    /// <summary>truncate and ftruncate: on an open handle its buffer; on a path, a read-modify-upload with If-Match.</summary>
    public int Truncate(string path, long size, ulong handle)
    {
        if (size > OpenFile.MaxBuffered)
        {
            return -Errno.EFBIG;
        }

        if (handle != 0 && _handles.TryGetValue(handle, out var open))
        {
            lock (open.Gate)
            {
                Resize(open, size);
                return 0;
            }
        }

        if (_readOnly)
        {
            return -Errno.EROFS;
        }

        var uri = FileUri(path);
        var info = Wait(_files.StatAsync(uri, _stop.Token));
        var file = new OpenFile(path, uri, info.ETag, info.Size ?? 0);
        lock (file.Gate)
        {
            Resize(file, size);
            return Upload(file);
        }
    }

    /// <summary>flush (every close of every duplicate) and fsync: upload when dirty; a clean handle costs nothing.</summary>
    public int Flush(ulong handle)
    {
        return _handles.TryGetValue(handle, out var open) ? UploadIfDirty(open) : -Errno.EBADF;
    }

    /// <summary>release: the last close; whatever is still dirty is uploaded now (its result can only be logged).</summary>
    public int Release(ulong handle)
    {
        return _handles.TryRemove(handle, out var open) ? UploadIfDirty(open) : 0;
    }

    private int UploadIfDirty(OpenFile open)
    {
        lock (open.Gate)
        {
            return open.Dirty && !open.Failed ? Upload(open) : 0;
        }
    }

    private ulong Register(OpenFile open)
    {
        var handle = (ulong)Interlocked.Increment(ref _lastHandle);
        _handles[handle] = open;
        return handle;
    }

    private void Resize(OpenFile open, long size)
    {
        if (size == 0)
        {
            open.StartEmpty(dirty: true);
            return;
        }

        Load(open);
        open.SetLength(size);
    }

    /// <summary>Fetches the whole file into the handle's buffer before its first change; it must still be the version opened.</summary>
    private void Load(OpenFile open)
    {
        if (open.Content is not null)
        {
            return;
        }

        if (open.RemoteSize > OpenFile.MaxBuffered)
        {
            throw new CoapFileException(CoapCode.RequestEntityTooLarge, $"{open.Path}: larger than the {OpenFile.MaxBuffered} bytes a handle buffers; change it with coap put");
        }

        var content = new MemoryStream();
        var etag = Wait(_files.ReadAsync(open.Uri, content, progress: null, _stop.Token));
        if (open.ETag is not null && !open.ETag.Equals(etag))
        {
            throw Changed(open, "the local changes were refused");
        }

        open.Load(content);
    }

    /// <summary>
    /// The one upload of a dirty buffer: a PUT with If-Match of the ETag the file had when opened (or at our last
    /// upload). 4.12 means someone else changed it meanwhile: EIO, a log line, and their version stays.
    /// </summary>
    private int Upload(OpenFile open)
    {
        try
        {
            open.ETag = Wait(_files.WriteAsync(open.Uri, open.Bytes, open.ETag, ifNoneMatch: false, progress: null, _stop.Token));
            open.MarkClean();
            return 0;
        }
        catch (CoapFileException error) when (error.Code == CoapCode.PreconditionFailed)
        {
            open.Failed = true;
            open.MarkClean();
            _log.Write(Changed(open, "the local changes were not uploaded; the server's version is kept").Message);
            return -Errno.EIO;
        }
        finally
        {
            _cache.Invalidate(Split(open.Path).Parent);
        }
    }

    private static CoapFileException Changed(OpenFile open, string consequence) =>
        new(CoapCode.PreconditionFailed, $"{open.Path}: changed on the server since opened; {consequence}");
}
