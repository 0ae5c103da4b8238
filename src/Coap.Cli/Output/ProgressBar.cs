using Coap.Engine.Client;

namespace Coap.Cli.Output;

/// <summary>
/// A one-line progress bar for block-wise transfers on stderr, redrawn in place with '\r'. Drawn only when stderr is
/// a terminal and the transfer has already taken a while, so that pipes, logs and tests never see it. It shows the
/// goodput (bytes delivered per second since the start) and, when some were lost on the way, the blocks asked for again
/// (Q-Block, RFC 9177).
/// </summary>
internal sealed class ProgressBar(CliConsole console, TimeProvider time) : IProgress<TransferProgress>
{
    private const int Width = 30;
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly long _start = time.GetTimestamp();
    private readonly Lock _gate = new();
    private TimeSpan _drawnAt = -Interval;
    private int _drawnLength;

    public void Report(TransferProgress value)
    {
        if (!console.ErrorIsTerminal)
        {
            return;
        }

        lock (_gate)
        {
            var now = time.GetElapsedTime(_start);
            if (now < Delay || now - _drawnAt < Interval)
            {
                return;
            }

            _drawnAt = now;
            var line = $"{Describe(value)}, {ByteCount.Format((long)(value.BytesDone / Math.Max(now.TotalSeconds, 0.001)))}/s{Again(value)}";
            console.Error.Write($"\r{line.PadRight(_drawnLength)}");
            console.Error.Flush();
            _drawnLength = line.Length;
        }
    }

    /// <summary>Erases the bar, if one was drawn, so that what follows starts on a clean line.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (_drawnLength > 0)
            {
                console.Error.Write($"\r{new string(' ', _drawnLength)}\r");
                console.Error.Flush();
                _drawnLength = 0;
            }
        }
    }

    private static string Again(TransferProgress value) =>
        value.Retransmissions > 0 ? $", {value.Retransmissions} blocks asked again" : string.Empty;

    private static string Describe(TransferProgress value)
    {
        var done = ByteCount.Format(value.BytesDone);
        if (value.Total is not { } total || total <= 0)
        {
            return $"{done} transferred";
        }

        var fraction = Math.Clamp((double)value.BytesDone / total, 0, 1);
        var filled = (int)(fraction * Width);
        return $"[{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:0}% {done} of {ByteCount.Format(total)}";
    }
}
