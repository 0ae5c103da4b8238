using Services.FileServer.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Mount;

/// <summary>rename of files as copy + delete; directories are EXDEV, which mv answers by copying the tree itself.</summary>
internal sealed partial class RemoteFileSystem
{
    private const uint RenameNoReplace = 1;
    private const uint RenameExchange = 2;

    /// <summary>
    /// The file service has no move, so a file is read whole, written to the new name (the server's PUT is atomic: a
    /// reader sees the old target or the whole new one, never a part) and then deleted with If-Match of the ETag read,
    /// so a source changed meanwhile is kept (EIO, logged). A directory is EXDEV, as between two file systems: mv
    /// then copies the tree and removes the original itself.
    /// </summary>
    public int Rename(string from, string to, uint flags)
    {
        if (_readOnly)
        {
            return -Errno.EROFS;
        }

        if ((flags & RenameExchange) != 0)
        {
            return -Errno.EINVAL;
        }

        var found = GetAttributes(from, 0, out var source);
        if (found != 0)
        {
            return found;
        }

        if (source.IsDirectory)
        {
            return -Errno.EXDEV;
        }

        if (GetAttributes(to, 0, out var target) == 0)
        {
            if (target.IsDirectory)
            {
                return -Errno.EISDIR;
            }

            if ((flags & RenameNoReplace) != 0)
            {
                return -Errno.EEXIST;
            }
        }

        try
        {
            using var content = new MemoryStream();
            var original = FileUri(from);
            var etag = Wait(_files.ReadAsync(original, content, progress: null, _stop.Token));
            Wait(_files.WriteAsync(FileUri(to), content.GetBuffer().AsMemory(0, (int)content.Length), ifMatch: null, ifNoneMatch: false, progress: null, _stop.Token));
            Wait(_files.DeleteAsync(original, etag, _stop.Token));
            return 0;
        }
        catch (CoapFileException error) when (error.Code == CoapCode.PreconditionFailed)
        {
            _log.Write($"rename {from} -> {to}: {from} changed on the server during the rename; {to} has the version read, {from} is kept");
            return -Errno.EIO;
        }
        finally
        {
            _cache.Invalidate(Split(from).Parent);
            _cache.Invalidate(Split(to).Parent);
        }
    }
}
