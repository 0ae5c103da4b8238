using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Coap.Cli.Mount;

/// <summary>
/// Linux errno values (x86_64) and the mapping of the file service's answers to them: 4.04 → ENOENT, 4.01/4.03 →
/// EACCES, 4.12 → EIO, 4.13 → EFBIG, anything else (5.xx, no answer, a malformed one) → EIO. Callbacks return them
/// negated.
/// </summary>
internal static class Errno
{
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EFBIG = 27;
    public const int EROFS = 30;
    public const int ENOTEMPTY = 39;

    public static int From(CoapFileException error) => (error.Code.Class, error.Code.Detail) switch
    {
        (4, 4) => ENOENT,
        (4, 1) or (4, 3) => EACCES,
        (4, 13) => EFBIG,
        _ => EIO,
    };

    /// <summary>The errno for any failure a callback caught; false when it was a bug rather than a remote error.</summary>
    public static int From(Exception error, out bool expected)
    {
        expected = error is CoapFileException or CoapException or OperationCanceledException or IOException;
        return error is CoapFileException file ? From(file) : EIO;
    }
}
