using System.Text;
using Coap.Engine.Blockwise;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Services.FileServer.FileSystem;

namespace Services.FileServer;

/// <summary>
/// The file service: one resource for every path below the mount. GET serves a file block by block from its offset
/// (RFC 7959 §2.4) or lists a directory (RFC 6690); PUT writes a file atomically through a temp file (streamed block by
/// block, RFC 7959 §2.5) or creates a directory; DELETE removes a file or a directory tree. Directories are addressed
/// with a trailing slash, files without. Nothing outside <see cref="FileServerOptions.Root"/> is ever touched. A 2.01,
/// 2.04 or 2.02 goes out only once the change is on the disk: the file's data flushed, then its parent directory
/// (<see cref="IDirectorySync"/>), so that the answer holds across a power loss, not only across a crash of the process.
/// The disk work runs inside the request's handler.
/// </summary>
internal sealed partial class FileResource : ObservableResource, ICoapUploadResource, IDisposable
{
    private readonly FileServerOptions _options;

    /// <summary>Makes a commit's precondition check and its rename (or a delete's) one step for this process.</summary>
    private readonly Lock _commitGate = new();

    private readonly FileChangeNotifier _changes;

    private readonly OpenFileCache _openFiles;

    /// <summary>Flushes a parent directory after each rename, mkdir and delete, before the answer goes out.</summary>
    private readonly IDirectorySync _sync;

    /// <summary>Creates the root when missing and deletes the temp files of uploads a previous run left behind.</summary>
    public FileResource(IOptions<FileServerOptions> options, TimeProvider time, IDirectorySync sync, ILogger<FileResource> logger)
    {
        _options = options.Value;
        _sync = sync;
        Time = time;
        Root = new FileRoot(_options.Root, sync);
        StaleTempFilesRemoved = FileTree.DeleteFiles(Root.Path, TempFile.IsTempName);
        _changes = new FileChangeNotifier(Observers, Root.Path, time, logger);
        _openFiles = new OpenFileCache(time, logger);
    }

    public FileRoot Root { get; }

    /// <summary>The clock uploads pace their checks by.</summary>
    internal TimeProvider Time { get; }

    /// <summary>How many stale temp files the start-up clean-up deleted.</summary>
    public int StaleTempFilesRemoved { get; }

    public ResourceMetadata Metadata => new()
    {
        ResourceTypes = ["core.fs"],
        ContentFormats = FileContentFormats.All,
        Title = "Files",
        ServesBlocks = true,
        Observable = true,
    };

    public void Dispose()
    {
        _changes.Dispose();
        _openFiles.Dispose();
    }

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context) => Run(context, Get);

    protected override ValueTask<CoapMessage> OnPut(CoapRequestContext context) => Run(context, Put);

    protected override ValueTask<CoapMessage> OnDelete(CoapRequestContext context) => Run(context, Delete);

    /// <summary>Runs a handler; a permission error is 4.03, another I/O error 5.00, neither naming a server path.</summary>
    private static ValueTask<CoapMessage> Run(CoapRequestContext context, Func<CoapRequestContext, CoapMessage> handler)
    {
        try
        {
            return ValueTask.FromResult(handler(context));
        }
        catch (UnauthorizedAccessException)
        {
            return ValueTask.FromResult(Diagnostic(CoapCode.Forbidden, "permission denied"));
        }
        catch (IOException)
        {
            return ValueTask.FromResult(Diagnostic(CoapCode.InternalServerError, "I/O error"));
        }
    }

    /// <remarks>
    /// A request with no Uri-Path at all (the service mounted at "/") addresses the root directory: RFC 7252 §6.4 makes
    /// both coap://host and coap://host/ such a request, so no trailing slash can be asked of it.
    /// </remarks>
    private static bool TryPath(CoapRequestContext context, out RequestPath path, out CoapMessage refusal)
    {
        if (!context.Request.Options.Contains(OptionNumber.UriPath))
        {
            path = new RequestPath([], IsDirectory: true);
            refusal = null!;
            return true;
        }

        context.Route.TryGetSegments("path", out var segments);
        if (RequestPath.TryParse(segments, out path, out var code, out var error))
        {
            refusal = null!;
            return true;
        }

        refusal = Diagnostic(code, error);
        return false;
    }

    /// <summary>The answer when the path leads nowhere servable or its trailing slash does not fit what is there.</summary>
    private static CoapMessage? Unservable(ResolvedPath target, RequestPath path) => target.Outcome switch
    {
        PathOutcome.Outside => Diagnostic(CoapCode.Forbidden, "the path leads outside the served directory"),
        PathOutcome.Special => Diagnostic(CoapCode.Forbidden, "not a regular file or directory"),
        PathOutcome.Missing or PathOutcome.ParentMissing => Diagnostic(CoapCode.NotFound, "no such file or directory"),
        _ => SlashMismatch(target, path),
    };

    private static CoapMessage? SlashMismatch(ResolvedPath target, RequestPath path)
    {
        if (target.IsDirectory && !path.IsDirectory)
        {
            return Diagnostic(CoapCode.BadRequest, "is a directory; add a trailing slash");
        }

        return target.IsFile && path.IsDirectory ? Diagnostic(CoapCode.BadRequest, "not a directory") : null;
    }

    /// <summary>The current ETag of a file or a directory (its listing's).</summary>
    private byte[] TagOf(ResolvedPath target) => target.IsDirectory ? DirectoryListing.Read(Root, target.Real).Tag : target.Stat.EntityTag();

    private static CoapMessage WithTag(CoapMessage response, byte[] tag)
    {
        response.Options.Add(OptionNumber.ETag, tag);
        return response;
    }

    private static CoapMessage Diagnostic(CoapCode code, string text) => CoapMessage.CreateResponse(code, Encoding.UTF8.GetBytes(text));

    private static CoapMessage PreconditionFailed() => Diagnostic(CoapCode.PreconditionFailed, "the precondition (If-Match / If-None-Match) does not hold");

    private static CoapMessage ReadOnly() => Diagnostic(CoapCode.Forbidden, "the file service is read-only");
}
