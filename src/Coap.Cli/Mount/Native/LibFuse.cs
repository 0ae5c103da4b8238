using System.Runtime.InteropServices;

namespace Coap.Cli.Mount.Native;

/// <summary>
/// The few libfuse3 entry points the mount uses, bound at run time from libfuse3.so.3 (Debian libfuse3-3). The
/// versioned symbols are bound with dlvsym: <c>fuse_new</c> at FUSE_3.1 (from libfuse 3.17 a plain import of it
/// resolves to nothing) and <c>fuse_loop_mt</c> at FUSE_3.0 (the (fuse*, clone_fd) form). <c>fuse_main</c> is never
/// used: it forks to daemonise, which the .NET runtime does not survive.
/// </summary>
internal static unsafe class LibFuse
{
    public const string LibraryName = "libfuse3.so.3";

    private static readonly Lazy<string?> Loaded = new(Load);

    public static delegate* unmanaged<FuseArgs*, void*, nuint, void*, nint> New { get; private set; }

    public static delegate* unmanaged<nint, byte*, int> Mount { get; private set; }

    public static delegate* unmanaged<nint, int, int> LoopMt { get; private set; }

    public static delegate* unmanaged<nint, void> Exit { get; private set; }

    public static delegate* unmanaged<nint, void> Unmount { get; private set; }

    public static delegate* unmanaged<nint, void> Destroy { get; private set; }

    public static delegate* unmanaged<FuseArgs*, void> FreeArgs { get; private set; }

    /// <summary>Binds libfuse once; null when it worked, otherwise why not (the library or a symbol is missing).</summary>
    public static string? TryLoad() => Loaded.Value;

    private static string? Load()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out var library))
        {
            return $"{LibraryName} is not installed (Debian package libfuse3-3)";
        }

        try
        {
            New = (delegate* unmanaged<FuseArgs*, void*, nuint, void*, nint>)Versioned(library, "fuse_new", "FUSE_3.1");
            LoopMt = (delegate* unmanaged<nint, int, int>)Versioned(library, "fuse_loop_mt", "FUSE_3.0");
            Mount = (delegate* unmanaged<nint, byte*, int>)NativeLibrary.GetExport(library, "fuse_mount");
            Exit = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "fuse_exit");
            Unmount = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "fuse_unmount");
            Destroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(library, "fuse_destroy");
            FreeArgs = (delegate* unmanaged<FuseArgs*, void>)NativeLibrary.GetExport(library, "fuse_opt_free_args");
            return null;
        }
        catch (EntryPointNotFoundException error)
        {
            return $"{LibraryName} lacks a symbol the mount needs: {error.Message}";
        }
    }

    private static nint Versioned(nint library, string name, string version)
    {
        var symbol = dlvsym(library, name, version);
        return symbol != 0 ? symbol : throw new EntryPointNotFoundException($"{name}@{version}");
    }

    [DllImport("libc", EntryPoint = "dlvsym")]
#pragma warning disable SYSLIB1054, CA2101 // a plain DllImport: two UTF-8 strings in, a pointer out.
    private static extern nint dlvsym(nint handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string symbol, [MarshalAs(UnmanagedType.LPUTF8Str)] string version);
#pragma warning restore SYSLIB1054, CA2101
}

/// <summary><c>struct fuse_args</c>: argc, argv, allocated (24 bytes on x86_64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseArgs
{
    public int Argc;
    public byte** Argv;
    public int Allocated;
}
