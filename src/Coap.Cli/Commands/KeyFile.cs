namespace Coap.Cli.Commands;

/// <summary>
/// The key file of --key-file: its text without one trailing newline. Refused, as ssh refuses a private key, when
/// other users may read or change it (any group or other permission bit).
/// </summary>
internal static class KeyFile
{
    private const UnixFileMode OthersMayUse = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The key's text; a <see cref="UsageException"/> for a file that is missing, unreadable or open to others.</summary>
    public static string Read(string path)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                if ((mode & OthersMayUse) != 0)
                {
                    throw new UsageException($"the key file '{path}' may be read by other users (mode {Convert.ToString((int)mode & 0x1FF, 8)}): chmod 600 '{path}'");
                }
            }

            var text = File.ReadAllText(path);
            return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the key file '{path}': {error.Message}");
        }
    }
}
