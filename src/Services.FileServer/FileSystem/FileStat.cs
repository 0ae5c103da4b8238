namespace Services.FileServer.FileSystem;

/// <summary>The parts of a file's status the file service uses: its kind, size, inode and modification time.</summary>
internal readonly record struct FileStat(FileKind Kind, long Size, ulong Inode, long MtimeSeconds, uint MtimeNanoseconds)
{
    private const ushort TypeMask = 0xF000;
    private const ushort RegularType = 0x8000;
    private const ushort DirectoryType = 0x4000;
    private const ushort LinkType = 0xA000;

    /// <summary>
    /// A strong 8-byte ETag (RFC 7252 §5.10.6): FNV-1a 64 over size, inode and mtime in nanoseconds. A rewrite in
    /// place changes the mtime; an atomic replace changes the inode; so any change a client could see changes the tag.
    /// </summary>
    public byte[] EntityTag()
    {
        var hash = new TagHash();
        hash.Add((ulong)Size);
        hash.Add(Inode);
        hash.Add((ulong)MtimeSeconds);
        hash.Add(MtimeNanoseconds);
        return hash.ToTag();
    }

    public static FileKind KindOf(ushort mode) => (mode & TypeMask) switch
    {
        RegularType => FileKind.File,
        DirectoryType => FileKind.Directory,
        LinkType => FileKind.Link,
        _ => FileKind.Special,
    };
}
