using System.Text;
using System.Text.Json;

namespace Coap.Engine.Oscore;

/// <summary>
/// The parameters of an aiocoap context folder: settings.json and secret.json, each optional but not both absent, a
/// key in at most one of them. Keys ending in _hex hold hex, _ascii ASCII text: sender-id, recipient-id, secret
/// (required), salt, id-context (optional); algorithm (only "AES-CCM-16-64-128"), kdf-hashfun (only "sha256") and
/// window (the replay window size) are plain values. Other keys are ignored, as aiocoap ignores them.
/// A file holding the secret must not be readable or writable by others (mode o-rwx): aiocoap does not check this,
/// we refuse such a folder with a message saying to chmod it, as ssh does with keys.
/// </summary>
public static class OscoreSettingsFile
{
    private const long MaxFileLength = 64 * 1024;

    public static OscoreContextParameters Read(string directory)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var found = false;
        foreach (var name in new[] { "secret.json", "settings.json" })
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                continue;
            }

            found = true;
            foreach (var (key, value) in ReadObject(path))
            {
                var datum = Datum(key);
                if (!sources.TryAdd(datum, path))
                {
                    throw new OscoreContextFolderException($"{path}: '{datum}' is also given in {sources[datum]}.");
                }

                values[key] = value;
            }
        }

        if (!found)
        {
            throw new OscoreContextFolderException($"OSCORE context folder {directory} has neither settings.json nor secret.json.");
        }

        var algorithm = Text(values, "algorithm", sources) ?? OscoreAlgorithm.Name;
        if (algorithm != OscoreAlgorithm.Name)
        {
            throw new OscoreContextFolderException($"{sources["algorithm"]}: algorithm '{algorithm}' is not supported (only {OscoreAlgorithm.Name}).");
        }

        if ((Text(values, "kdf-hashfun", sources) ?? "sha256") != "sha256")
        {
            throw new OscoreContextFolderException($"{sources["kdf-hashfun"]}: kdf-hashfun must be sha256.");
        }

        var secret = Bytes(values, "secret", sources) ?? throw Missing(directory, "secret_hex");
        CheckPrivate(sources["secret"]);
        var parameters = new OscoreContextParameters(
            secret,
            Bytes(values, "sender-id", sources) ?? throw Missing(directory, "sender-id_hex"),
            Bytes(values, "recipient-id", sources) ?? throw Missing(directory, "recipient-id_hex"),
            Bytes(values, "salt", sources),
            Bytes(values, "id-context", sources),
            Window(values, sources));
        if (parameters.Validate() is { } problem)
        {
            throw new OscoreContextFolderException($"OSCORE context folder {directory}: {problem}.");
        }

        return parameters;
    }

    private static Dictionary<string, JsonElement> ReadObject(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxFileLength)
            {
                throw new OscoreContextFolderException($"{path}: larger than {MaxFileLength} bytes.");
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OscoreContextFolderException($"{path}: not a JSON object.");
            }

            var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                result[property.Name] = property.Value.Clone();
            }

            return result;
        }
        catch (JsonException e)
        {
            throw new OscoreContextFolderException($"{path}: not valid JSON ({e.Message}).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OscoreContextFolderException($"{path}: cannot be read ({e.Message}).");
        }
    }

    private static string Datum(string key) =>
        key.EndsWith("_hex", StringComparison.Ordinal) ? key[..^4] : key.EndsWith("_ascii", StringComparison.Ordinal) ? key[..^6] : key;

    private static byte[]? Bytes(Dictionary<string, JsonElement> values, string datum, Dictionary<string, string> sources)
    {
        if (values.TryGetValue(datum + "_hex", out var hex))
        {
            try
            {
                return Convert.FromHexString(hex.ValueKind == JsonValueKind.String ? hex.GetString()! : throw new FormatException());
            }
            catch (FormatException)
            {
                throw new OscoreContextFolderException($"{sources[datum]}: {datum}_hex is not a string of hex digits.");
            }
        }

        if (values.TryGetValue(datum + "_ascii", out var ascii))
        {
            var text = ascii.ValueKind == JsonValueKind.String ? ascii.GetString()! : null;
            if (text is null || !Ascii.IsValid(text))
            {
                throw new OscoreContextFolderException($"{sources[datum]}: {datum}_ascii is not an ASCII string.");
            }

            return Encoding.ASCII.GetBytes(text);
        }

        return null;
    }

    private static string? Text(Dictionary<string, JsonElement> values, string key, Dictionary<string, string> sources) =>
        !values.TryGetValue(key, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new OscoreContextFolderException($"{sources[key]}: {key} must be a string.");

    private static int Window(Dictionary<string, JsonElement> values, Dictionary<string, string> sources)
    {
        if (!values.TryGetValue("window", out var value))
        {
            return OscoreReplayWindow.DefaultSize;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var size) && size is >= 1 and <= OscoreReplayWindow.MaxSize
            ? size
            : throw new OscoreContextFolderException($"{sources["window"]}: window must be an integer from 1 to {OscoreReplayWindow.MaxSize}.");
    }

    private static OscoreContextFolderException Missing(string directory, string key) =>
        new($"OSCORE context folder {directory}: {key} is missing (in settings.json or secret.json).");

    private static void CheckPrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite)) != 0)
        {
            throw new OscoreContextFolderException(
                $"{path} holds the OSCORE master secret but others may read or change it (mode {Convert.ToString((int)mode, 8)}); run: chmod 600 {path}");
        }
    }
}
