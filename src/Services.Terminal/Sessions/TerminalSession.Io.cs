using System.Runtime.InteropServices;
using Services.Terminal.Pty;

namespace Services.Terminal.Sessions;

/// <summary>
/// The I/O loop: one thread polls the non-blocking master for output (and, while input is queued, for room to write)
/// and an eventfd that wakes it for new input or to stop. It ends when the master reports end of file (EIO: every
/// slave descriptor is closed) or when told to stop.
/// </summary>
internal sealed partial class TerminalSession
{
    private readonly int _wake;
    private volatile bool _stopping;

    private unsafe void RunIo()
    {
        var buffer = new byte[4096];
        var fds = stackalloc Native.PollFd[2];
        try
        {
            while (!_stopping)
            {
                fds[0] = new Native.PollFd { Fd = _terminal.Master, Events = (short)(Native.PollIn | (Input.IsEmpty ? 0 : Native.PollOut)) };
                fds[1] = new Native.PollFd { Fd = _wake, Events = Native.PollIn };
                if (Native.Poll(fds, 2, -1) < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Native.EIntr)
                    {
                        continue;
                    }

                    return;
                }

                if ((fds[1].Revents & Native.PollIn) != 0)
                {
                    ulong count;
                    Native.Read(_wake, (byte*)&count, sizeof(ulong));
                }

                if ((fds[0].Revents & Native.PollOut) != 0)
                {
                    WriteInput(buffer);
                }

                if ((fds[0].Revents & Native.PollNval) != 0
                    || ((fds[0].Revents & (Native.PollIn | Native.PollHup | Native.PollErr)) != 0 && !ReadOutput(buffer)))
                {
                    return;
                }
            }
        }
        finally
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Reads what the master has; false at end of file.</summary>
    private unsafe bool ReadOutput(byte[] buffer)
    {
        nint read;
        fixed (byte* pointer = buffer)
        {
            read = Native.Read(_terminal.Master, pointer, (nuint)buffer.Length);
        }

        if (read > 0)
        {
            Append(buffer.AsSpan(0, (int)read));
            return true;
        }

        var error = read < 0 ? Marshal.GetLastPInvokeError() : 0;
        return error is Native.EAgain or Native.EIntr;
    }

    private unsafe void WriteInput(byte[] buffer)
    {
        var length = Input.Peek(buffer);
        if (length == 0)
        {
            return;
        }

        nint written;
        fixed (byte* pointer = buffer)
        {
            written = Native.Write(_terminal.Master, pointer, (nuint)length);
        }

        if (written > 0)
        {
            Input.Consume((int)written);
        }
    }

    private unsafe void Wake()
    {
        ulong one = 1;
        Native.Write(_wake, (byte*)&one, sizeof(ulong));
    }

    private void StopIo()
    {
        _stopping = true;
        Wake();
    }
}
