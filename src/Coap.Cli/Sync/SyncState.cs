using System.Globalization;
using System.Text;
using Services.FileServer.Client;

namespace Coap.Cli.Sync;

/// <summary>
/// The state file <c>.coap-sync</c> at the top of the local directory: the remote directory it pairs with, then
/// one line per file in step: ETag (hex), length, modification time (UTC ticks) and the path relative to the top,
/// percent-encoded, separated by tabs. A file for another remote directory is ignored and replaced.
/// </summary>
internal sealed class SyncState
{
    public const string FileName = ".coap-sync";

    private const string Header = "# coap sync state for ";

    private readonly Dictionary<string, SyncRecord> _records;
    private readonly string _path;
    private readonly string _remote;

    private SyncState(string path, string remote, Dictionary<string, SyncRecord> records)
    {
        _path = path;
        _remote = remote;
        _records = records;
    }

    public static SyncState Load(string localDirectory, string remote)
    {
        var path = Path.Combine(localDirectory, FileName);
        var records = new Dictionary<string, SyncRecord>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new SyncState(path, remote, records);
        }

        var lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0 || lines[0] != Header + remote)
        {
            return new SyncState(path, remote, records);
        }

        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split('\t');
            if (fields.Length == 4
                && FileETag.TryParse(fields[0], out var etag)
                && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                records[Uri.UnescapeDataString(fields[3])] = new SyncRecord(etag, size, ticks);
            }
        }

        return new SyncState(path, remote, records);
    }

    public SyncRecord? Get(string relativePath) => _records.GetValueOrDefault(relativePath);

    public void Set(string relativePath, SyncRecord record) => _records[relativePath] = record;

    public void Save()
    {
        var text = new StringBuilder(Header).Append(_remote).Append('\n');
        foreach (var (relative, record) in _records.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{record.ETag}\t{record.Size}\t{record.ModifiedTicks}\t{Uri.EscapeDataString(relative)}\n");
        }

        File.WriteAllText(_path, text.ToString(), new UTF8Encoding(false));
    }
}
