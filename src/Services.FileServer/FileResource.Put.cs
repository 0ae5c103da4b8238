using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Services.FileServer.FileSystem;

namespace Services.FileServer;

/// <summary>
/// PUT: a file is written to a temp file beside it, flushed, renamed over it and the directory flushed (2.01 created,
/// 2.04 replaced, with the new ETag); a path with a trailing slash creates a directory (its parent flushed before the
/// 2.01). If-Match and If-None-Match are checked when the upload starts and again, under the commit lock, just before
/// the rename: of two writers holding the same ETag one wins.
/// </summary>
internal sealed partial class FileResource
{
    /// <summary>Block 0 of a Block1 upload: the same checks as a one-datagram PUT, then a sink on a temp file.</summary>
    public ValueTask<ICoapUploadSink> BeginUploadAsync(CoapRequestContext context)
    {
        try
        {
            return ValueTask.FromResult(BeginUpload(context, context.Request.Options.GetUInt(OptionNumber.Size1)));
        }
        catch (UnauthorizedAccessException)
        {
            return ValueTask.FromResult<ICoapUploadSink>(new RefusedUpload(Diagnostic(CoapCode.Forbidden, "permission denied")));
        }
        catch (IOException)
        {
            return ValueTask.FromResult<ICoapUploadSink>(new RefusedUpload(Diagnostic(CoapCode.InternalServerError, "I/O error")));
        }
    }

    private ICoapUploadSink BeginUpload(CoapRequestContext context, long? announced)
    {
        if (context.Request.Code != CoapCode.Put)
        {
            return new RefusedUpload(CoapMessage.CreateResponse(CoapCode.MethodNotAllowed));
        }

        if (!_options.Writable)
        {
            return new RefusedUpload(ReadOnly());
        }

        if (!TryPath(context, out var path, out var refusal))
        {
            return new RefusedUpload(refusal);
        }

        if (path.IsDirectory)
        {
            return new RefusedUpload(Diagnostic(CoapCode.BadRequest, "a directory is created by a PUT without a body"));
        }

        return StartWrite(context.Request, path, announced);
    }

    private CoapMessage Put(CoapRequestContext context)
    {
        if (!_options.Writable)
        {
            return ReadOnly();
        }

        if (!TryPath(context, out var path, out var refusal))
        {
            return refusal;
        }

        if (path.IsDirectory)
        {
            return MakeDirectory(context.Request, path);
        }

        var payload = context.Request.Payload;
        var start = StartWrite(context.Request, path, payload.Length);
        if (start is not FileUploadSink sink)
        {
            return start.Refusal!;
        }

        using (sink)
        {
            sink.Write(payload.Span, 0);
            return sink.Refusal ?? sink.Commit();
        }
    }

    /// <summary>The checks before any byte is written: size, quota, path, preconditions; parents created if allowed.</summary>
    private ICoapUploadSink StartWrite(CoapMessage request, RequestPath path, long? announced)
    {
        if (path.Names.Count == 0)
        {
            return new RefusedUpload(Diagnostic(CoapCode.BadRequest, "is a directory; add a trailing slash"));
        }

        if (announced > _options.MaxFileSize)
        {
            return new RefusedUpload(TooLarge(_options.MaxFileSize!.Value, "the file may be at most"));
        }

        var target = Root.Resolve(path.Names);
        if (target.Outcome is PathOutcome.Outside or PathOutcome.Special || target.IsDirectory)
        {
            return new RefusedUpload(Unservable(target, path)!);
        }

        if (!Preconditions.Hold(request, target.Exists ? () => target.Stat.EntityTag() : null))
        {
            return new RefusedUpload(PreconditionFailed());
        }

        var used = _options.MaxTotalBytes is null ? 0 : FileTree.TotalBytes(Root.Path) - (target.IsFile ? target.Stat.Size : 0);
        if (used + announced > _options.MaxTotalBytes)
        {
            return new RefusedUpload(TooLarge(_options.MaxTotalBytes!.Value - used, "the quota leaves room for"));
        }

        var parent = target.Parent;
        if (target.Outcome == PathOutcome.ParentMissing)
        {
            parent = _options.CreateParents ? Root.CreateParents(path.Names) : null;
            if (parent is null)
            {
                return new RefusedUpload(Diagnostic(CoapCode.NotFound, "the parent directory does not exist"));
            }
        }

        var limit = Math.Min(_options.MaxFileSize ?? long.MaxValue, _options.MaxTotalBytes is { } quota ? quota - used : long.MaxValue);
        return new FileUploadSink(this, request, parent!, path.Name, limit);
    }

    /// <summary>
    /// Renames the finished temp file over the target if the preconditions still hold and the quota still has room:
    /// uploads that each fitted when they began may not together take the tree past MaxTotalBytes.
    /// </summary>
    internal CoapMessage Commit(CoapMessage request, string parent, string name, string temp)
    {
        lock (_commitGate)
        {
            var target = Root.ResolveEntry(parent, name);
            if (target.Outcome is PathOutcome.Outside or PathOutcome.Special || target.IsDirectory)
            {
                return Unservable(target, new RequestPath([name], false))!;
            }

            if (!Preconditions.Hold(request, target.Exists ? () => target.Stat.EntityTag() : null))
            {
                return PreconditionFailed();
            }

            if (_options.MaxTotalBytes is { } quota
                && FileTree.TotalBytes(Root.Path) - (target.IsFile ? target.Stat.Size : 0) is var used
                && used + new FileInfo(temp).Length > quota)
            {
                return TooLarge(quota - used, "the quota leaves room for");
            }

            try
            {
                File.Move(temp, target.Entry, overwrite: true);
            }
            catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
            {
                return UploadGone();
            }

            _sync.Flush(parent);
            _changes.Changed();
            var written = Root.ResolveEntry(parent, name);
            return WithTag(CoapMessage.CreateResponse(target.Exists ? CoapCode.Changed : CoapCode.Created), written.Stat.EntityTag());
        }
    }

    private CoapMessage MakeDirectory(CoapMessage request, RequestPath path)
    {
        lock (_commitGate)
        {
            var target = Root.Resolve(path.Names);
            if (target.Outcome is PathOutcome.Outside or PathOutcome.Special || target.IsFile)
            {
                return Unservable(target, path)!;
            }

            if (!Preconditions.Hold(request, target.Exists ? () => TagOf(target) : null))
            {
                return PreconditionFailed();
            }

            if (target.IsDirectory)
            {
                return WithTag(CoapMessage.CreateResponse(CoapCode.Changed), TagOf(target));
            }

            var parent = target.Outcome == PathOutcome.ParentMissing ? (_options.CreateParents ? Root.CreateParents(path.Names) : null) : target.Parent;
            if (parent is null)
            {
                return Diagnostic(CoapCode.NotFound, "the parent directory does not exist");
            }

            Directory.CreateDirectory(Path.Join(parent, path.Name));
            _sync.Flush(parent);
            _changes.Changed();
            return WithTag(CoapMessage.CreateResponse(CoapCode.Created), DirectoryListing.EmptyTag);
        }
    }

    /// <summary>
    /// 4.09 Conflict (RFC 8132 §3.4's code for a state that keeps the request from completing): the directory of an
    /// upload in progress was deleted or replaced, so its temp file is gone; the client may start again from block 0.
    /// </summary>
    internal static CoapMessage UploadGone() =>
        Diagnostic(CoapCode.Conflict, "the upload's directory was deleted or replaced; start again");

    /// <summary>4.13 with Size1 naming how many bytes would be accepted (RFC 7959 §2.9.3, §4).</summary>
    internal static CoapMessage TooLarge(long limit, string what)
    {
        var bytes = Math.Max(limit, 0);
        var response = Diagnostic(CoapCode.RequestEntityTooLarge, $"{what} {bytes} bytes");
        response.Options.Add(CoapOption.FromUInt(OptionNumber.Size1, (uint)Math.Min(bytes, uint.MaxValue)));
        return response;
    }
}
