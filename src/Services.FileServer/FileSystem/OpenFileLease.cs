namespace Services.FileServer.FileSystem;

/// <summary>A use of an <see cref="OpenFile"/>: holds a reference on its handle until disposed.</summary>
internal readonly struct OpenFileLease(OpenFile file) : IDisposable
{
    public OpenFile File { get; } = file;

    public void Dispose() => File?.Handle.DangerousRelease();
}
