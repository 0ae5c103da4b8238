namespace Services.FileServer;

/// <summary>The file service's settings, bound from "Modules:FileServer".</summary>
public sealed class FileServerOptions
{
    public const string SectionName = "Modules:FileServer";

    /// <summary>The mount path; "/" mounts the file service on every path but /.well-known/core.</summary>
    public string Path { get; set; } = "files";

    /// <summary>The directory served; relative to the working directory; created at start when missing.</summary>
    public string Root { get; set; } = "files-root";

    /// <summary>Whether PUT and DELETE are allowed; a read-only service answers them 4.03.</summary>
    public bool Writable { get; set; }

    /// <summary>Whether a PUT creates missing parent directories; without it a missing parent is 4.04.</summary>
    public bool CreateParents { get; set; }

    /// <summary>The largest file a PUT may write, in bytes; none by default (Coap:MaxBodySize still applies).</summary>
    public long? MaxFileSize { get; set; }

    /// <summary>The most bytes the files under the root may hold together after a PUT; none by default.</summary>
    public long? MaxTotalBytes { get; set; }
}
