using System.Text;
using System.Text.Json;
using Coap.Engine.Hosting;

namespace Coap.Engine.Oscore;

/// <summary>
/// sequence.json of a context folder, as aiocoap writes it: {"next-to-send": N, "received": {"index": I, "bitfield":
/// B}} or "received": "unknown". N bounds every number sent so far; "unknown" means the window in memory moved on
/// after it was stored, so after a crash the replay window is rebuilt with Echo (RFC 8613 §B.1.2).
/// </summary>
public static class OscoreSequenceFile
{
    public const string FileName = "sequence.json";

    private const long MaxFileLength = 64 * 1024;

    /// <summary>The stored state, or null when the folder has none yet (a context never used).</summary>
    public static OscoreSequenceState? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            if (new FileInfo(path).Length > MaxFileLength)
            {
                throw Malformed(path, "too large");
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("next-to-send", out var next)
                || next.ValueKind != JsonValueKind.Number || !next.TryGetInt64(out var nextToSend) || nextToSend < 0 || nextToSend > OscoreAlgorithm.MaxSequenceNumber + 1)
            {
                throw Malformed(path, "next-to-send is not a sequence number");
            }

            if (!root.TryGetProperty("received", out var received) || received.ValueKind == JsonValueKind.String && received.GetString() == "unknown")
            {
                return new OscoreSequenceState(nextToSend, null);
            }

            if (received.ValueKind != JsonValueKind.Object || !received.TryGetProperty("index", out var index)
                || index.ValueKind != JsonValueKind.Number || !index.TryGetInt64(out var indexValue)
                || indexValue < 0 || !received.TryGetProperty("bitfield", out var bitfield)
                || bitfield.ValueKind != JsonValueKind.Number || !bitfield.TryGetUInt64(out var bits))
            {
                throw Malformed(path, "received is neither \"unknown\" nor {\"index\", \"bitfield\"}");
            }

            return new OscoreSequenceState(nextToSend, new OscoreWindowState(indexValue, bits));
        }
        catch (JsonException e)
        {
            throw Malformed(path, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OscoreContextFolderException($"{path}: cannot be read ({e.Message}).");
        }
    }

    /// <summary>Writes the state durably: a temporary file in the folder, fsync, rename over sequence.json, fsync of the folder.</summary>
    public static void Write(string directory, OscoreSequenceState state)
    {
        var received = state.Received is { } window
            ? $"{{\"index\": {window.Index}, \"bitfield\": {window.Bitfield}}}"
            : "\"unknown\"";
        var bytes = Encoding.UTF8.GetBytes($"{{\"next-to-send\": {state.NextToSend}, \"received\": {received}}}");
        var temporary = Path.Combine(directory, $".sequence-{Guid.NewGuid():N}.json");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                DirectorySync.FlushFile(file);
            }

            File.Move(temporary, Path.Combine(directory, FileName), overwrite: true);
            DirectorySync.Flush(directory);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static OscoreContextFolderException Malformed(string path, string problem) =>
        new($"{path}: not an OSCORE sequence state ({problem}); it is refused rather than guessed, since a wrong one could reuse a nonce.");
}
