namespace Coap.Engine.Oscore;

/// <summary>
/// A security context kept in a folder in aiocoap's format (its FilesystemSecurityContext), so one folder serves both
/// tools: the parameters in settings.json and/or secret.json (<see cref="OscoreSettingsFile"/>), the mutable state in
/// sequence.json (<see cref="OscoreSequenceFile"/>), and a file named lock that both hold an exclusive flock(2) on
/// while they use the folder (aiocoap's filelock; .NET's FileShare.None is the same lock on Linux), so two processes
/// never send with the same context. Dispose stores the exact state, as aiocoap does on shutdown.
/// </summary>
public sealed class OscoreContextFolder : IOscoreStateStore, IDisposable
{
    private readonly FileStream _lock;

    private OscoreContextFolder(string directory, FileStream lockFile)
    {
        Directory = directory;
        _lock = lockFile;
    }

    public string Directory { get; }

    public OscoreSecurityContext Context { get; private set; } = null!;

    /// <summary>
    /// Loads the folder; an <see cref="OscoreContextFolderException"/> naming the file and the problem when it is
    /// missing, malformed, locked by another process, or holds the secret in a file others may read.
    /// </summary>
    public static OscoreContextFolder Open(string directory, int sequenceStep = OscoreSecurityContext.DefaultSequenceStep)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new OscoreContextFolderException($"OSCORE context folder {full} does not exist.");
        }

        var parameters = OscoreSettingsFile.Read(full);
        var state = OscoreSequenceFile.Read(full);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(Path.Combine(full, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new OscoreContextFolderException($"OSCORE context folder {full} is in use by another process (its lock file is held): {e.Message}");
        }

        var folder = new OscoreContextFolder(full, lockFile);
        try
        {
            folder.Context = new OscoreSecurityContext(parameters, state, folder, sequenceStep);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }

        return folder;
    }

    /// <summary>Writes sequence.json safely: a temporary file, fsync, rename over the old one, fsync of the folder.</summary>
    public void Save(OscoreSequenceState state) => OscoreSequenceFile.Write(Directory, state);

    public void Dispose()
    {
        try
        {
            Context.SaveExactState();
        }
        finally
        {
            Context.Dispose();
            _lock.Dispose();
        }
    }
}

/// <summary>An OSCORE context folder that cannot be used, with a message naming the file and the problem.</summary>
public sealed class OscoreContextFolderException(string message) : Exception(message);
