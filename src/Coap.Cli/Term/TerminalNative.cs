using System.Runtime.InteropServices;

namespace Coap.Cli.Term;

/// <summary>
/// The libc calls behind the local side of `coap term`: raw mode (tcgetattr, cfmakeraw, tcsetattr), the window size
/// (TIOCGWINSZ), and plain reads and writes of the standard descriptors, which bypass .NET's console layer so that it
/// never reconfigures the terminal behind our back.
/// </summary>
internal static unsafe partial class TerminalNative
{
    public const int StandardInput = 0;
    public const int StandardOutput = 1;
    public const int TcsaNow = 0;
    public const int EIntr = 4;
    public const int EAgain = 11;
    public const short PollIn = 0x1;
    public const ulong TiocGWinSz = 0x5413;

    /// <summary>Bigger than glibc's struct termios (60 bytes).</summary>
    public const int TermiosSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "isatty")]
    public static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int TcSetAttr(int fd, int actions, byte* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    public static partial void CfMakeRaw(byte* termios);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlWinSize(int fd, ulong request, WinSize* size);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    /// <summary>Writes all of <paramref name="data"/> to standard output; false when it cannot be written.</summary>
    public static bool WriteOutput(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var written = Write(StandardOutput, start + done, (nuint)(data.Length - done));
                if (written > 0)
                {
                    done += (int)written;
                }
                else if (Marshal.GetLastPInvokeError() != EIntr)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
