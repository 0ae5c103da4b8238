using System.Runtime.InteropServices;

namespace Coap.Cli.Term;

/// <summary>
/// The user's terminal on standard input: switched to raw mode (every key reaches the remote side as typed, Ctrl-C
/// included, nothing echoed locally) and restored exactly as it was when disposed, also on SIGTERM and SIGHUP.
/// </summary>
internal sealed unsafe class LocalTerminal : IDisposable
{
    private readonly byte[] _saved = new byte[TerminalNative.TermiosSize];
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _restored;

    private LocalTerminal()
    {
    }

    /// <summary>Whether standard input is a terminal at all.</summary>
    public static bool IsTerminal => TerminalNative.IsATty(TerminalNative.StandardInput) == 1;

    /// <summary>Puts standard input into raw mode; throws <see cref="IOException"/> when it is no terminal.</summary>
    public static LocalTerminal EnterRawMode()
    {
        var terminal = new LocalTerminal();
        var raw = new byte[TerminalNative.TermiosSize];
        fixed (byte* saved = terminal._saved, copy = raw)
        {
            if (TerminalNative.TcGetAttr(TerminalNative.StandardInput, saved) != 0)
            {
                throw new IOException("standard input is not a terminal: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
            }

            terminal._saved.CopyTo(raw, 0);
            TerminalNative.CfMakeRaw(copy);
            if (TerminalNative.TcSetAttr(TerminalNative.StandardInput, TerminalNative.TcsaNow, copy) != 0)
            {
                throw new IOException("cannot switch the terminal to raw mode: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
            }
        }

        foreach (var signal in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT])
        {
            terminal._signals.Add(PosixSignalRegistration.Create(signal, _ => terminal.Restore()));
        }

        return terminal;
    }

    /// <summary>The window size of the terminal on standard input or output, or null when neither is one.</summary>
    public static (ushort Rows, ushort Columns)? Size()
    {
        foreach (var fd in (int[])[TerminalNative.StandardInput, TerminalNative.StandardOutput])
        {
            var size = default(TerminalNative.WinSize);
            if (TerminalNative.IoctlWinSize(fd, TerminalNative.TiocGWinSz, &size) == 0 && size.Rows > 0 && size.Columns > 0)
            {
                return (size.Rows, size.Columns);
            }
        }

        return null;
    }

    public void Dispose()
    {
        Restore();
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }
    }

    private void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) == 0)
        {
            fixed (byte* saved = _saved)
            {
                TerminalNative.TcSetAttr(TerminalNative.StandardInput, TerminalNative.TcsaNow, saved);
            }
        }
    }
}
