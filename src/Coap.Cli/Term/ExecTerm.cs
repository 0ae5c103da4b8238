using System.Runtime.InteropServices;
using System.Text;

namespace Coap.Cli.Term;

/// <summary>
/// `coap term URI --exec CMD`: runs one command line in a new session without a local terminal and exits with its
/// status. The session's program must be a POSIX shell: it is sent one line that turns off the echo, the CR-LF
/// translation and every special character but Ctrl-D and Ctrl-V (see <see cref="CanonicalInput"/>), prints a marker
/// and replaces the shell with "/bin/sh -c CMD", so the session ends with the command's status. Only the output after
/// the marker is written out; from the marker on, standard input is forwarded, byte for byte, and its end reaches the
/// command as end of file (as `ssh host CMD` does). The session is hung up if the command is interrupted.
/// </summary>
internal static class ExecTerm
{
    /// <summary>The record separator: the line prints it once the echo is off; the line's own echo shows only "\036".</summary>
    private const byte Marker = 0x1e;

    /// <summary>How much of standard input is read at a time; the next read waits until the session has taken it.</summary>
    private const int ReadSize = 16 * 1024;

    public static async Task<int> RunAsync(CliConsole console, RemoteSession session, string command, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = session.SendInputAsync(stop.Token);
        var started = false;
        try
        {
            session.Type(Encoding.UTF8.GetBytes(Line(command)));
            var output = session.FollowOutputAsync(0, Write, stop.Token);
            var first = await Task.WhenAny(output, input).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await first.ConfigureAwait(false);
            return await output.ConfigureAwait(false) ?? ExitCode.NoResponse;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            using var hangUp = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await session.HangUpAsync(hangUp.Token).ConfigureAwait(false);
            throw;
        }

        async ValueTask Write(ReadOnlyMemory<byte> output, CancellationToken token)
        {
            if (!started)
            {
                var marker = output.Span.IndexOf(Marker);
                if (marker < 0)
                {
                    return;
                }

                started = true;
                output = output[(marker + 1)..];
                _ = ForwardInputAsync(console.Input, session, stop.Token);
            }

            await console.Output.WriteAsync(output, token).ConfigureAwait(false);
            await console.Output.FlushAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>The line the shell is sent, the command single-quoted for "sh -c".</summary>
    public static string Line(string command) =>
        "stty -echo -onlcr -icrnl -inlcr -igncr -ixon -isig eof ^D lnext ^V erase undef kill undef werase undef rprnt undef eol undef eol2 undef; " +
        "printf '\\036'; exec /bin/sh -c '" + command.Replace("'", "'\\''", StringComparison.Ordinal) + "'\n";

    /// <summary>
    /// Types standard input into the session until its end, then the end of file. It is not awaited: a read of a
    /// console stream cannot be cancelled, so once the command has ended the process leaves it behind; an
    /// unreadable standard input counts as its end.
    /// </summary>
    private static async Task ForwardInputAsync(Stream stdin, RemoteSession session, CancellationToken cancellationToken)
    {
        var encoder = new CanonicalInput();
        var buffer = new byte[ReadSize];
        var encoded = new List<byte>(ReadSize + ReadSize / 8);
        try
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                encoder.Encode(buffer.AsSpan(0, read), encoded);
                session.Type(CollectionsMarshal.AsSpan(encoded));
                encoded.Clear();
                await session.InputSentAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (IOException)
        {
        }

        encoder.End(encoded);
        session.Type(CollectionsMarshal.AsSpan(encoded));
    }
}
