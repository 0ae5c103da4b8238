using Coap.Engine.Client;
using Coap.Engine.Hosting;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// Reads the PSK key file (<c>Coap:Security:PskFile</c>): one <c>identity=key</c> per line, split at the first
/// <c>=</c>, both sides trimmed; the key as <see cref="PskKeyText"/> reads it; a line whose first non-blank character
/// is <c>#</c> is a comment, blank lines are skipped. A file that group or others may read or write is refused, and no
/// message ever quotes a key. The same format gives a client its one identity and key (<see cref="LoadCredentials"/>,
/// such as the proxy's for a coaps:// upstream).
/// </summary>
public static class PskKeyFile
{
    private const string Key = "Coap:Security:PskFile";

    /// <summary>The identities and their keys; <see cref="CoapConfigurationException"/> naming the key and the file.</summary>
    public static PskIdentities Load(string path) => new(ParseKeys(Read(path, Key), path, Key));

    /// <summary>Parses the lines of a key file named <paramref name="path"/> (for messages).</summary>
    public static PskIdentities Parse(IEnumerable<string> lines, string path) => new(ParseKeys(lines, path, Key));

    /// <summary>
    /// A client's identity and key from a key file of exactly one identity=key line; messages name the setting
    /// <paramref name="setting"/> that named the file.
    /// </summary>
    public static PskCredentials LoadCredentials(string path, string setting)
    {
        var keys = ParseKeys(Read(path, setting), path, setting);
        if (keys.Count != 1)
        {
            throw new CoapConfigurationException($"{setting} '{path}' must hold one identity=key line, the identity this client presents (it holds {keys.Count}).");
        }

        var (identity, key) = keys.First();
        return new PskCredentials(identity, key);
    }

    private static string[] Read(string path, string setting)
    {
        ArgumentNullException.ThrowIfNull(path);
        PrivateFile.RefuseShared(path, setting);
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CoapConfigurationException($"{setting} '{path}' cannot be read: {error.Message}", error);
        }
    }

    private static Dictionary<string, byte[]> ParseKeys(IEnumerable<string> lines, string path, string setting)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new CoapConfigurationException($"{setting} '{path}' line {number}: expected identity=key.");
            }

            var identity = line[..equals].Trim();
            if (identity.Length == 0)
            {
                throw new CoapConfigurationException($"{setting} '{path}' line {number}: the identity is empty.");
            }

            byte[] key;
            try
            {
                key = PskKeyText.Parse(line[(equals + 1)..].Trim());
            }
            catch (FormatException error)
            {
                throw new CoapConfigurationException($"{setting} '{path}' line {number} (identity '{identity}'): {error.Message}.");
            }

            if (!keys.TryAdd(identity, key))
            {
                throw new CoapConfigurationException($"{setting} '{path}' line {number}: identity '{identity}' is listed twice.");
            }
        }

        if (keys.Count == 0)
        {
            throw new CoapConfigurationException($"{setting} '{path}' holds no identity=key line.");
        }

        return keys;
    }
}
