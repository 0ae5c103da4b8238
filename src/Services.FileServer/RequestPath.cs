using System.Text;
using Coap.Engine.Protocol;

namespace Services.FileServer;

/// <summary>
/// The names a request addresses below the mount: the unescaped Uri-Path segments (RFC 7252 §5.10.1) after the
/// mount path. A trailing slash (a last, empty segment) addresses a directory; no segment at all is the root without
/// its slash. Names that could step out of the root or name something hidden are refused before any file system call.
/// </summary>
internal sealed record RequestPath(IReadOnlyList<string> Names, bool IsDirectory)
{
    /// <summary>Longer names than Linux's NAME_MAX cannot exist, so they are refused up front.</summary>
    private const int MaxNameBytes = 255;

    /// <summary>The last name, or "" for the root.</summary>
    public string Name => Names.Count == 0 ? string.Empty : Names[^1];

    /// <summary>Checks the segments: 4.00 for empty, dot, "/", NUL and over-long names, 4.03 for hidden names.</summary>
    public static bool TryParse(IReadOnlyList<string> segments, out RequestPath path, out CoapCode code, out string error)
    {
        var isDirectory = segments.Count > 0 && segments[^1].Length == 0;
        var count = isDirectory ? segments.Count - 1 : segments.Count;
        var names = new string[count];
        path = new RequestPath(names, isDirectory);
        code = CoapCode.BadRequest;
        for (var i = 0; i < count; i++)
        {
            var name = segments[i];
            error = name switch
            {
                "" => "empty path segment",
                "." or ".." => $"'{name}' is not allowed in a path",
                _ when name.Contains('/', StringComparison.Ordinal) => "a path segment may not contain '/'",
                _ when name.Contains('\0', StringComparison.Ordinal) => "a path segment may not contain NUL",
                _ when Encoding.UTF8.GetByteCount(name) > MaxNameBytes => $"a name may have at most {MaxNameBytes} bytes",
                _ => string.Empty,
            };
            if (error.Length > 0)
            {
                return false;
            }

            if (name[0] == '.')
            {
                code = CoapCode.Forbidden;
                error = "hidden names are not served";
                return false;
            }

            names[i] = name;
        }

        error = string.Empty;
        return true;
    }
}
