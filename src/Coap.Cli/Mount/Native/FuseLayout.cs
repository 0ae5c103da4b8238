namespace Coap.Cli.Mount.Native;

/// <summary>
/// Where libfuse's and glibc's structs keep the fields the mount touches (x86_64, glibc 2.36, libfuse 3.14, measured):
/// <c>struct stat</c> is 144 bytes, <c>struct statvfs</c> 112, <c>fuse_file_info</c> 40 (owned by libfuse: only
/// flags, the direct_io and keep_cache bits and fh are touched, it is never copied), <c>fuse_operations</c> 42 function
/// pointers.
/// </summary>
internal static unsafe class FuseLayout
{
    public const int StatSize = 144;
    public const int StatvfsSize = 112;
    public const int OperationCount = 42;

    private const int StatNlink = 16;
    private const int StatMode = 24;
    private const int StatUid = 28;
    private const int StatGid = 32;
    private const int StatSizeField = 48;
    private const int StatBlksize = 56;
    private const int StatBlocks = 64;
    private const int StatAtim = 72;
    private const int StatMtim = 88;
    private const int StatCtim = 104;

    private const int FileInfoFlags = 0;
    private const int FileInfoFh = 16;

    private const uint DirectoryMode = 0x4000 | 0x1ED; // S_IFDIR | 0755
    private const uint FileMode = 0x8000 | 0x1A4; // S_IFREG | 0644

    public static void FillStat(byte* stat, in EntryAttributes attributes, uint uid, uint gid)
    {
        new Span<byte>(stat, StatSize).Clear();
        *(ulong*)(stat + StatNlink) = attributes.IsDirectory ? 2UL : 1UL;
        *(uint*)(stat + StatMode) = attributes.IsDirectory ? DirectoryMode : FileMode;
        *(uint*)(stat + StatUid) = uid;
        *(uint*)(stat + StatGid) = gid;
        *(long*)(stat + StatSizeField) = attributes.Size;
        *(long*)(stat + StatBlksize) = 4096;
        *(long*)(stat + StatBlocks) = (attributes.Size + 511) / 512;
        var seconds = attributes.Modified.ToUnixTimeSeconds();
        foreach (var offset in (ReadOnlySpan<int>)[StatAtim, StatMtim, StatCtim])
        {
            *(long*)(stat + offset) = seconds;
        }
    }

    /// <summary>statfs: fixed, roomy values (the file service has no way to report its free space).</summary>
    public static void FillStatvfs(byte* statvfs)
    {
        var fields = new Span<ulong>(statvfs, StatvfsSize / sizeof(ulong));
        fields.Clear();
        fields[0] = 4096; // f_bsize
        fields[1] = 4096; // f_frsize
        fields[2] = 1UL << 28; // f_blocks: 1 TiB
        fields[3] = 1UL << 28; // f_bfree
        fields[4] = 1UL << 28; // f_bavail
        fields[5] = 1UL << 20; // f_files
        fields[6] = 1UL << 20; // f_ffree
        fields[7] = 1UL << 20; // f_favail
        fields[10] = 255; // f_namemax
    }

    public static int OpenFlags(void* fileInfo) => *(int*)((byte*)fileInfo + FileInfoFlags);

    public static ulong Handle(void* fileInfo) => fileInfo is null ? 0 : *(ulong*)((byte*)fileInfo + FileInfoFh);

    public static void SetHandle(void* fileInfo, ulong handle) => *(ulong*)((byte*)fileInfo + FileInfoFh) = handle;
}
