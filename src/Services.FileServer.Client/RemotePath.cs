using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Services.FileServer.Client;

/// <summary>
/// The file service's naming rule: a directory's URI ends with a slash (its last Uri-Path option is empty), a file's
/// does not. Builds children's URIs with their names percent-encoded (RFC 3986 §2.1).
/// </summary>
public static class RemotePath
{
    /// <summary>Whether the URI names a directory: its path ends with a slash.</summary>
    public static bool IsDirectory(CoapUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.PathSegments.Count == 0 || uri.PathSegments[^1].Length == 0;
    }

    /// <summary>The URI with a trailing slash added if it has none.</summary>
    public static CoapUri AsDirectory(CoapUri uri) => IsDirectory(uri) ? uri : CoapUri.Parse(uri + "/");

    /// <summary>The URI of an entry of a directory: a file, or with <paramref name="directory"/> a subdirectory.</summary>
    public static CoapUri Child(CoapUri directory, string name, bool isDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var builder = new StringBuilder(AsDirectory(directory).ToString());
        PercentEncoding.AppendPathSegment(builder, name);
        if (isDirectory)
        {
            builder.Append('/');
        }

        return CoapUri.Parse(builder.ToString());
    }

    /// <summary>The last name of the path (a directory's without its slash), or an empty string for the root.</summary>
    public static string Name(CoapUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var segments = uri.PathSegments;
        var last = segments.Count - (IsDirectory(uri) ? 2 : 1);
        return last >= 0 ? segments[last] : string.Empty;
    }
}
