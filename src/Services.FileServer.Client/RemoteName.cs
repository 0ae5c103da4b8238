using System.Text;
using Coap.Engine.Protocol;

namespace Services.FileServer.Client;

/// <summary>
/// The one check of every name a server lists, link-format or CBOR, made after percent-decoding: a name must be a
/// single plain name that is safe as a path segment there and here. A hostile server could otherwise list
/// <c>%2E%2E%2Fescaped.txt</c> or <c>%2Ftmp%2Fx</c> and have a client write outside the directory it fills.
/// </summary>
public static class RemoteName
{
    /// <summary>Longer names cannot exist on Linux (NAME_MAX) nor on the file service.</summary>
    public const int MaxBytes = 255;

    /// <summary>Why a decoded name is refused, or null when it is a plain name.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "" => "an empty name",
            "." or ".." => "a name for this or the parent directory",
            _ when name.AsSpan().IndexOfAny('/', '\\', '\0') >= 0 => "a name with a slash, backslash or NUL",
            _ when Path.IsPathRooted(name) => "an absolute path",
            _ when Encoding.UTF8.GetByteCount(name) > MaxBytes => $"a name longer than {MaxBytes} bytes",
            _ => null,
        };
    }

    /// <summary>A name as a message shows it: percent-encoded, so neither a slash nor a control character passes unseen.</summary>
    public static string Shown(string name)
    {
        var builder = new StringBuilder();
        PercentEncoding.AppendPathSegment(builder, name);
        return builder.ToString();
    }
}
