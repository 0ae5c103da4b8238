using Coap.Engine.Hosting;
namespace Coap.Engine.Transport.Dtls;

/// <summary>Refuses a secret file (a key) that group or others may read or write.</summary>
internal static class PrivateFile
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary><see cref="CoapConfigurationException"/> naming <paramref name="name"/> when the file is shared or unreadable.</summary>
    public static void RefuseShared(string path, string name)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CoapConfigurationException($"{name} '{path}' cannot be read: {error.Message}", error);
        }

        if ((mode & GroupOrOthers) != 0)
        {
            throw new CoapConfigurationException(
                $"{name} '{path}' may be read or written by other users (mode {Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0')}); allow its owner only: chmod 600 '{path}'.");
        }
    }
}
