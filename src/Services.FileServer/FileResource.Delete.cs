using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Services.FileServer.FileSystem;

namespace Services.FileServer;

/// <summary>
/// DELETE: a file, or a directory with everything below it (2.02). If-Match is honoured on both: a directory's ETag is
/// its listing's, so the empty-directory ETag deletes a directory only while it is empty. A link is removed, never
/// followed. A directory holding anything the service does not show (<see cref="UnshownEntries"/>) is not deleted:
/// 4.09 with the reason, and nothing is removed. The parent directory is flushed to the disk before the 2.02.
/// </summary>
internal sealed partial class FileResource
{
    private CoapMessage Delete(CoapRequestContext context)
    {
        if (!_options.Writable)
        {
            return ReadOnly();
        }

        if (!TryPath(context, out var path, out var refusal))
        {
            return refusal;
        }

        if (path.Names.Count == 0)
        {
            return Diagnostic(CoapCode.Forbidden, "the served directory itself cannot be deleted");
        }

        lock (_commitGate)
        {
            var target = Root.Resolve(path.Names);
            if (Unservable(target, path) is { } answer)
            {
                return answer;
            }

            if (!Preconditions.Hold(context.Request, () => TagOf(target)))
            {
                return PreconditionFailed();
            }

            if (target.IsDirectory && !target.IsLink)
            {
                if (UnshownEntries.Find(Root, target.Entry) is { } unshown)
                {
                    return Diagnostic(CoapCode.Conflict, $"the directory holds {unshown}, which this service does not show; nothing was deleted");
                }

                FileTree.DeleteRecursive(target.Entry);
            }
            else
            {
                File.Delete(target.Entry);
            }

            _sync.Flush(target.Parent!);
            _changes.Changed();
            return CoapMessage.CreateResponse(CoapCode.Deleted);
        }
    }
}
