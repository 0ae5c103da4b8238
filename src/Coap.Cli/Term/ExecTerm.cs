using System.Text;

namespace Coap.Cli.Term;

/// <summary>
/// `coap term URI --exec CMD`: runs one command line in a new session without a local terminal and exits with its
/// status. The session's program must be a POSIX shell: it is sent one line that turns off the echo and the CR-LF
/// translation, prints a marker and replaces the shell with "/bin/sh -c CMD", so the session ends with the command's
/// status; only the output after the marker is written out. The session is hung up if the command is interrupted.
/// </summary>
internal static class ExecTerm
{
    /// <summary>The record separator: the line prints it once the echo is off; the line's own echo shows only "\036".</summary>
    private const byte Marker = 0x1e;

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
            }

            await console.Output.WriteAsync(output, token).ConfigureAwait(false);
            await console.Output.FlushAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>The line the shell is sent, the command single-quoted for "sh -c".</summary>
    public static string Line(string command) =>
        "stty -echo -onlcr; printf '\\036'; exec /bin/sh -c '" + command.Replace("'", "'\\''", StringComparison.Ordinal) + "'\n";
}
