using System.Runtime.InteropServices;

namespace Coap.Cli.Term;

/// <summary>
/// `coap term` at a keyboard: the local terminal in raw mode, every keystroke to the session, the output to the
/// screen as it is observed, window size changes (SIGWINCH) forwarded. Ctrl-] leaves the session running (attach
/// again with --attach); the program's end ends the command with its exit status. The local terminal is restored on
/// every way out.
/// </summary>
internal static class InteractiveTerm
{
    /// <summary>Ctrl-]: the telnet escape, which leaves without hanging up.</summary>
    public const byte Escape = 0x1d;

    public static async Task<int> RunAsync(CliConsole console, RemoteSession session, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var detached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resized = new SemaphoreSlim(0);
        int? exit;
        Task input;
        Task sizes;
        if (LocalTerminal.Size() is { } initial)
        {
            // Before any keystroke, so that the first command already sees the window's size.
            await session.ResizeAsync(initial.Rows, initial.Columns, cancellationToken).ConfigureAwait(false);
        }

        using (var terminal = LocalTerminal.EnterRawMode())
        {
            using var winch = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
            {
                context.Cancel = true;
                resized.Release();
            });
            using var keyboard = new KeyboardReader(keys => Typed(session, keys, detached));
            input = session.SendInputAsync(stop.Token);
            sizes = ForwardSizesAsync(session, resized, stop.Token);
            var output = session.FollowOutputAsync(0, Write, stop.Token);
            var first = await Task.WhenAny(output, input, sizes, detached.Task, keyboard.Ended).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            exit = first == output ? await output.ConfigureAwait(false) : null;
            await first.ConfigureAwait(false);
        }

        if (detached.Task.IsCompleted)
        {
            console.Error.WriteLine($"coap: left {session.Uri} running; `coap term --attach {session.Uri}` returns to it");
            return ExitCode.Success;
        }

        return exit ?? ExitCode.Success;
    }

    private static void Typed(RemoteSession session, ReadOnlyMemory<byte> keys, TaskCompletionSource detached)
    {
        var escape = keys.Span.IndexOf(Escape);
        session.Type(escape < 0 ? keys.Span : keys.Span[..escape]);
        if (escape >= 0)
        {
            detached.TrySetResult();
        }
    }

    /// <summary>Sends the window size after every SIGWINCH that changed it.</summary>
    private static async Task ForwardSizesAsync(RemoteSession session, SemaphoreSlim resized, CancellationToken cancellationToken)
    {
        var sent = LocalTerminal.Size();
        while (!cancellationToken.IsCancellationRequested)
        {
            await resized.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (LocalTerminal.Size() is { } size && size != sent)
            {
                await session.ResizeAsync(size.Rows, size.Columns, cancellationToken).ConfigureAwait(false);
                sent = size;
            }
        }
    }

    private static ValueTask Write(ReadOnlyMemory<byte> output, CancellationToken cancellationToken) =>
        TerminalNative.WriteOutput(output.Span) ? ValueTask.CompletedTask : ValueTask.FromException(new IOException("cannot write to the terminal"));
}
