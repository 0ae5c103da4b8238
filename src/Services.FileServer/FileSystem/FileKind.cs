namespace Services.FileServer.FileSystem;

/// <summary>What a directory entry is, as far as the file service cares.</summary>
internal enum FileKind
{
    /// <summary>A regular file: served, written, deleted.</summary>
    File,

    /// <summary>A directory: listed, created, deleted recursively.</summary>
    Directory,

    /// <summary>A symbolic link, when not followed.</summary>
    Link,

    /// <summary>A socket, device or FIFO: never served.</summary>
    Special,
}
