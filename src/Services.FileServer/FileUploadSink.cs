using Coap.Engine.Blockwise;
using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Microsoft.Win32.SafeHandles;
using Services.FileServer.FileSystem;

namespace Services.FileServer;

/// <summary>
/// One upload's temp file: blocks are written at their offsets, those that follow one another gathered first into
/// <see cref="GatheredBytes"/> and written together (one write per 16 blocks of 1 KiB rather than one per block); a
/// commit writes what is gathered, flushes the file to disk (fsync) and renames it over the target; disposal without a
/// commit (abandoned, aborted or refused) deletes it. Past the size limit a block is refused with 4.13 and Size1. When
/// the directory the upload writes into is deleted or replaced meanwhile (the temp file went with it: no link left,
/// asked of the open file, no path walked, at most once per <see cref="LinkCheckInterval"/>), the next block that asks
/// ends the upload with 4.09 Conflict instead of writing on into an unlinked file; so does the commit when the temp
/// file is not at its path any more.
/// </summary>
internal sealed class FileUploadSink : ICoapUploadSink, IDisposable
{
    /// <summary>The most bytes of blocks that follow one another kept before they are written.</summary>
    internal const int GatheredBytes = 16 * 1024;

    /// <summary>
    /// How long blocks are written without asking whether the temp file still has a link: a burst of a Q-Block1 set
    /// shares one statx instead of one per block (a tenth of the server's CPU in a loopback upload); a block that
    /// comes later asks again, so an unlinked file gets at most this long's worth of blocks, freed when it is closed.
    /// </summary>
    internal static readonly TimeSpan LinkCheckInterval = TimeSpan.FromMilliseconds(1);

    private readonly FileResource _owner;
    private readonly CoapMessage _request;
    private readonly string _parent;
    private readonly string _name;
    private readonly long _limit;
    private readonly FileStream _stream;

    /// <summary>The stream's handle, taken once: FileStream's getter seeks to the stream's position every time.</summary>
    private readonly SafeFileHandle _handle;
    private byte[]? _gathered;
    private long _gatheredAt;
    private int _gatheredLength;
    private bool _committed;
    private long _linkCheckedAt;

    public FileUploadSink(FileResource owner, CoapMessage request, string parent, string name, long limit)
    {
        _owner = owner;
        _request = request;
        _parent = parent;
        _name = name;
        _limit = limit;
        TempPath = Path.Join(parent, TempFile.NameFor(name));
        _stream = new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        _handle = _stream.SafeFileHandle;
        _linkCheckedAt = owner.Time.GetTimestamp();
    }

    /// <summary>Where the bytes go until the commit.</summary>
    public string TempPath { get; }

    public CoapMessage? Refusal { get; private set; }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> block, long offset, CancellationToken cancellationToken)
    {
        Write(block.Span, offset);
        return ValueTask.CompletedTask;
    }

    public void Write(ReadOnlySpan<byte> block, long offset)
    {
        if (offset + block.Length > _limit)
        {
            Refusal = FileResource.TooLarge(_limit, "the file may be at most");
            return;
        }

        if (offset > 0 && _owner.Time.GetElapsedTime(_linkCheckedAt) >= LinkCheckInterval)
        {
            _linkCheckedAt = _owner.Time.GetTimestamp();
            if (Native.IsUnlinked(_handle))
            {
                Refusal = FileResource.UploadGone();
                return;
            }
        }

        if (_gatheredLength > 0 && (offset != _gatheredAt + _gatheredLength || _gatheredLength + block.Length > GatheredBytes))
        {
            WriteGathered();
        }

        if (block.Length >= GatheredBytes)
        {
            RandomAccess.Write(_handle, block, offset);
            return;
        }

        _gathered ??= new byte[GatheredBytes];
        if (_gatheredLength == 0)
        {
            _gatheredAt = offset;
        }

        block.CopyTo(_gathered.AsSpan(_gatheredLength));
        _gatheredLength += block.Length;
    }

    public ValueTask<CoapMessage> CommitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Commit());

    public CoapMessage Commit()
    {
        WriteGathered();
        if (!File.Exists(TempPath))
        {
            return FileResource.UploadGone();
        }

        DirectorySync.FlushFile(_stream);
        _stream.Dispose();
        var response = _owner.Commit(_request, _parent, _name, TempPath);
        _committed = response.Code.IsSuccess;
        return response;
    }

    private void WriteGathered()
    {
        if (_gatheredLength > 0)
        {
            RandomAccess.Write(_handle, _gathered.AsSpan(0, _gatheredLength), _gatheredAt);
            _gatheredLength = 0;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        if (!_committed)
        {
            try
            {
                File.Delete(TempPath);
            }
            catch (DirectoryNotFoundException)
            {
                // The directory was deleted with the temp file in it: nothing is left to remove.
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
