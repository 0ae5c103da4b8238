using System.Security.Cryptography;
using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Testing.Files;

/// <summary>
/// A small stand-in for the file service over a directory, mapped at "files/{**path}", that follows the service's
/// wire contract: directories are URIs with a trailing slash, files without; GET of a directory answers link-format
/// (<c>&lt;name&gt;;ct=N;sz=BYTES</c>, <c>&lt;name/&gt;;ct=40</c>); every file response carries an 8-byte ETag
/// (here a hash of the content); PUT answers 2.01/2.04 with the new ETag; If-Match / If-None-Match give 4.12; DELETE
/// is recursive; a directory without its slash is 4.00; a read-only server answers 4.03 to changes.
/// Block-wise transfer is left to the engine's stages.
/// </summary>
public sealed class TestFileResource(string root) : ICoapResource
{
    private readonly Lock _gate = new();

    /// <summary>When set, PUT and DELETE answer 4.03.</summary>
    public bool ReadOnly { get; set; }

    /// <summary>How many PUT requests changed a file or directory: lets tests see that nothing was transferred.</summary>
    public int Writes { get; private set; }

    /// <summary>How many GET requests answered file content (2.05 for a file).</summary>
    public int Reads { get; private set; }

    public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        lock (_gate)
        {
            return ValueTask.FromResult(Handle(context));
        }
    }

    private static CoapMessage Fail(CoapCode code, string diagnostic) => CoapMessage.CreateResponse(code, Encoding.UTF8.GetBytes(diagnostic));

    private static CoapMessage WithETag(CoapMessage response, byte[] etag)
    {
        response.Options.Add(OptionNumber.ETag, etag);
        return response;
    }

    private static byte[] FileETag(string path) => SHA256.HashData(File.ReadAllBytes(path))[..8];

    private static byte[] DirectoryETag(string path)
    {
        var names = Directory.GetFileSystemEntries(path).Select(entry => Path.GetFileName(entry) + (Directory.Exists(entry) ? "/" : string.Empty)).Order(StringComparer.Ordinal);
        return SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', names)))[..8];
    }

    private static bool IfMatchFails(CoapMessage request, byte[]? current)
    {
        var asked = false;
        foreach (var option in request.Options.GetAll(OptionNumber.IfMatch))
        {
            asked = true;
            if (current is not null && (option.Value.IsEmpty || option.Value.Span.SequenceEqual(current)))
            {
                return false;
            }
        }

        return asked;
    }

    private static int ContentFormatOf(string name) => Path.GetExtension(name) switch
    {
        ".txt" => ContentFormat.TextPlain,
        ".json" => ContentFormat.Json,
        ".cbor" => ContentFormat.Cbor,
        _ => ContentFormat.OctetStream,
    };

    private CoapMessage Handle(CoapRequestContext context)
    {
        context.Route.TryGetSegments("path", out var segments);
        var isDirectoryUri = segments.Count == 0 || segments[^1].Length == 0;
        var names = isDirectoryUri && segments.Count > 0 ? segments.Take(segments.Count - 1).ToArray() : segments.ToArray();
        foreach (var name in names)
        {
            if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                return Fail(CoapCode.BadRequest, "invalid path segment");
            }
        }

        var path = Path.Combine([root, .. names]);
        var request = context.Request;
        if (request.Code != CoapCode.Get && ReadOnly)
        {
            return Fail(CoapCode.Forbidden, "read-only");
        }

        if (!isDirectoryUri && Directory.Exists(path))
        {
            return Fail(CoapCode.BadRequest, "is a directory; add a trailing slash");
        }

        if (isDirectoryUri && File.Exists(path))
        {
            return Fail(CoapCode.BadRequest, "not a directory");
        }

        return (request.Code.Value, isDirectoryUri) switch
        {
            (1, true) => List(path),
            (1, false) => Read(request, path),
            (3, true) => CreateDirectory(path),
            (3, false) => Write(request, path),
            (4, _) => Delete(request, path, isDirectoryUri),
            _ => CoapMessage.CreateResponse(CoapCode.MethodNotAllowed),
        };
    }

    private CoapMessage List(string path)
    {
        if (!Directory.Exists(path))
        {
            return Fail(CoapCode.NotFound, "no such directory");
        }

        var links = new List<string>();
        foreach (var entry in Directory.GetFileSystemEntries(path).Order(StringComparer.Ordinal))
        {
            var name = Uri.EscapeDataString(Path.GetFileName(entry));
            links.Add(Directory.Exists(entry) ? $"<{name}/>;ct=40" : $"<{name}>;ct={ContentFormatOf(entry)};sz={new FileInfo(entry).Length}");
        }

        var listing = CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(string.Join(',', links)), ContentFormat.LinkFormat);
        return WithETag(listing, DirectoryETag(path));
    }

    private CoapMessage Read(CoapMessage request, string path)
    {
        if (!File.Exists(path))
        {
            return Fail(CoapCode.NotFound, "no such file");
        }

        var etag = FileETag(path);
        foreach (var option in request.Options.GetAll(OptionNumber.ETag))
        {
            if (option.Value.Span.SequenceEqual(etag))
            {
                return WithETag(CoapMessage.CreateResponse(CoapCode.Valid), etag);
            }
        }

        Reads++;
        return WithETag(CoapMessage.CreateResponse(CoapCode.Content, File.ReadAllBytes(path), ContentFormatOf(path)), etag);
    }

    private CoapMessage CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return CoapMessage.CreateResponse(CoapCode.Changed);
        }

        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            return Fail(CoapCode.NotFound, "parent directory missing");
        }

        Directory.CreateDirectory(path);
        Writes++;
        return CoapMessage.CreateResponse(CoapCode.Created);
    }

    private CoapMessage Write(CoapMessage request, string path)
    {
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            return Fail(CoapCode.NotFound, "parent directory missing");
        }

        var exists = File.Exists(path);
        if (IfMatchFails(request, exists ? FileETag(path) : null) || (exists && request.Options.Contains(OptionNumber.IfNoneMatch)))
        {
            return CoapMessage.CreateResponse(CoapCode.PreconditionFailed);
        }

        var temp = path + ".upload";
        File.WriteAllBytes(temp, request.Payload.ToArray());
        File.Move(temp, path, overwrite: true);
        Writes++;
        return WithETag(CoapMessage.CreateResponse(exists ? CoapCode.Changed : CoapCode.Created), FileETag(path));
    }

    private CoapMessage Delete(CoapMessage request, string path, bool isDirectory)
    {
        var exists = isDirectory ? Directory.Exists(path) : File.Exists(path);
        if (!exists)
        {
            return Fail(CoapCode.NotFound, "no such file or directory");
        }

        if (IfMatchFails(request, isDirectory ? DirectoryETag(path) : FileETag(path)))
        {
            return CoapMessage.CreateResponse(CoapCode.PreconditionFailed);
        }

        if (isDirectory)
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }

        return CoapMessage.CreateResponse(CoapCode.Deleted);
    }
}
