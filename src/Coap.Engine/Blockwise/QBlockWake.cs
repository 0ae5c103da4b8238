using System.Threading.Channels;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Wakes a Q-Block transfer that waits for its next response when its deadline comes first, or when it is cancelled,
/// by writing <see cref="Tick"/> into the stream it reads: one timer for the whole transfer, re-armed for each wait,
/// so a wait costs no task, timer or cancellation registration of its own. A tick that fired while the transfer was
/// busy can sit in front of responses: the transfer takes those first, and a tick with nothing behind it only makes
/// it judge its deadlines once more.
/// </summary>
internal sealed class QBlockWake : IDisposable
{
    /// <summary>Read from the stream in place of a response: a deadline passed, or the transfer was cancelled.</summary>
    public static readonly CoapMessage Tick = new();

    private readonly ChannelWriter<CoapMessage> _writer;
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration _cancelled;

    public QBlockWake(ChannelWriter<CoapMessage> writer, TimeProvider time, CancellationToken cancellationToken)
    {
        _writer = writer;
        _timer = time.CreateTimer(static state => ((QBlockWake)state!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _cancelled = cancellationToken.UnsafeRegister(static state => ((QBlockWake)state!).Wake(), this);
    }

    /// <summary>A tick comes after <paramref name="deadline"/> unless the transfer arms the timer again before.</summary>
    public void Arm(TimeSpan deadline) => _timer.Change(deadline, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        _cancelled.Dispose();
        _timer.Dispose();
    }

    private void Wake() => _writer.TryWrite(Tick);
}
