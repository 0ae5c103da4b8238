using System.Security.Cryptography;

namespace Interop.Tests.Oscore;

/// <summary>
/// A fresh OSCORE security context, not one from RFC 8613's examples: a random 16-byte Master Secret, 8-byte Master
/// Salt and 2-byte Sender and Recipient IDs (different from each other), written in aiocoap's folder format as the
/// client's folder and the server's (IDs swapped). Each folder is created with mode 0700 and its settings.json with
/// 0600, so the secret is never readable by others, not even for a moment.
/// </summary>
internal static class FreshContext
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes the two folders under <paramref name="parent"/>: fresh-client and fresh-server.</summary>
    public static (string Client, string Server) Write(string parent)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var clientId = RandomNumberGenerator.GetBytes(2);
        var serverId = (byte[])clientId.Clone();
        serverId[0] ^= 0x80;
        var client = Folder(parent, "fresh-client", secret, salt, Convert.ToHexStringLower(clientId), Convert.ToHexStringLower(serverId));
        var server = Folder(parent, "fresh-server", secret, salt, Convert.ToHexStringLower(serverId), Convert.ToHexStringLower(clientId));
        return (client, server);
    }

    private static string Folder(string parent, string name, string secret, string salt, string senderId, string recipientId)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes are needed for the folder's permissions.");
        }

        var folder = Directory.CreateDirectory(Path.Combine(parent, name), FolderMode).FullName;
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode };
        using var writer = new StreamWriter(Path.Combine(folder, "settings.json"), options);
        writer.Write($$"""
            {"algorithm": "AES-CCM-16-64-128", "sender-id_hex": "{{senderId}}", "recipient-id_hex": "{{recipientId}}",
             "secret_hex": "{{secret}}", "salt_hex": "{{salt}}"}
            """);
        return folder;
    }
}
