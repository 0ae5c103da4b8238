using System.Security.Cryptography;
using System.Text;

namespace Coap.Bench.Fuzz;

/// <summary>
/// Where the fuzzed host keeps its files, in a fresh directory (on /dev/shm when there is one, so that the host's
/// fsyncs cost no disk time): "root" is served and holds two links out of it ("escape" to "outside", "outlink.txt" to
/// a file there), "outside" is the sentinel nothing may change, "pubsub" the broker's state.
/// </summary>
internal sealed class FuzzDirectory : IDisposable
{
    public FuzzDirectory()
    {
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        Base = Path.Join(parent, "coap-fuzz-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Root = Directory.CreateDirectory(Path.Join(Base, "root")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(Base, "outside")).FullName;
        State = Path.Join(Base, "pubsub");
        File.WriteAllText(Path.Join(Outside, "secret.txt"), "top secret");
        Directory.CreateSymbolicLink(Path.Join(Root, "escape"), Outside);
        File.CreateSymbolicLink(Path.Join(Root, "outlink.txt"), Path.Join(Outside, "secret.txt"));
    }

    public string Base { get; }

    public string Root { get; }

    public string Outside { get; }

    public string State { get; }

    /// <summary>SHA-256 over every path and file content below the sentinel.</summary>
    public string SentinelHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in Directory.EnumerateFileSystemEntries(Outside, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(Outside, path)));
            if (File.Exists(path))
            {
                hash.AppendData(File.ReadAllBytes(path));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Upload temp files (".{name}~{16 hex}.upload") left below the root.</summary>
    public int TempFiles() => Directory.EnumerateFiles(Root, ".*.upload", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Count();

    public void Dispose() => Directory.Delete(Base, recursive: true);
}
