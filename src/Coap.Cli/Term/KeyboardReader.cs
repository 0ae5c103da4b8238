using System.Runtime.InteropServices;

namespace Coap.Cli.Term;

/// <summary>
/// Reads keystrokes from standard input on a thread of its own (poll with a short timeout, then read), so that it
/// can be stopped; hands each read to <see cref="Typed"/>.
/// </summary>
internal sealed unsafe class KeyboardReader : IDisposable
{
    private readonly Thread _thread;
    private readonly Action<ReadOnlyMemory<byte>> _typed;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    public KeyboardReader(Action<ReadOnlyMemory<byte>> typed)
    {
        _typed = typed;
        _thread = new Thread(Run) { IsBackground = true, Name = "coap term keyboard" };
        _thread.Start();
    }

    /// <summary>Completes when standard input reaches its end or fails.</summary>
    public Task Ended => _ended.Task;

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(1));
    }

    private void Run()
    {
        var buffer = new byte[1024];
        var fd = new TerminalNative.PollFd { Fd = TerminalNative.StandardInput, Events = TerminalNative.PollIn };
        try
        {
            while (!_stopping)
            {
                fd.Revents = 0;
                var ready = TerminalNative.Poll(&fd, 1, 100);
                if (ready == 0 || (ready < 0 && Marshal.GetLastPInvokeError() == TerminalNative.EIntr))
                {
                    continue;
                }

                nint read;
                fixed (byte* pointer = buffer)
                {
                    read = TerminalNative.Read(TerminalNative.StandardInput, pointer, (nuint)buffer.Length);
                }

                if (read > 0)
                {
                    _typed(buffer.AsSpan(0, (int)read).ToArray());
                }
                else if (read == 0 || Marshal.GetLastPInvokeError() is not (TerminalNative.EIntr or TerminalNative.EAgain))
                {
                    return;
                }
            }
        }
        finally
        {
            _ended.TrySetResult();
        }
    }
}
