using Coap.Engine.Hosting;
using Coap.Engine.Observe;
using Services.Terminal.Pty;

namespace Services.Terminal.Sessions;

/// <summary>
/// One running program on a pseudo-terminal: its output in a scroll-ring with observers of its own, its input queue,
/// and its end. Two threads serve it: the I/O loop (output into the ring, queued input into the terminal) and the
/// reaper, which waits for the child, then for the last output, and records the exit status.
/// </summary>
internal sealed partial class TerminalSession : IDisposable
{
    private readonly SessionSettings _settings;
    private readonly PseudoTerminal _terminal;
    private readonly Lock _gate = new();
    private readonly OutputRing _ring;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _io;
    private readonly Thread _reaper;
    private long _lastActivity;
    private int? _exit;

    private TerminalSession(string id, SessionOwner owner, SessionSettings settings, PseudoTerminal terminal)
    {
        Id = id;
        Owner = owner;
        _settings = settings;
        _terminal = terminal;
        _ring = new OutputRing(settings.ScrollbackBytes);
        Input = new InputQueue(settings.InputQueueBytes);
        _wake = Pty.Native.EventFd(0, Pty.Native.OCloExec | Pty.Native.ONonBlock);
        _notifyTimer = settings.Time.CreateTimer(settings.Logger, "notifying a terminal session's observers", Publish, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _lastActivity = settings.Time.GetTimestamp();
        _io = new Thread(() => BackgroundWork.Run(settings.Logger, "a terminal session's I/O loop", RunIo)) { IsBackground = true, Name = "term " + id + " I/O" };
        _reaper = new Thread(() => BackgroundWork.Run(settings.Logger, "reaping a terminal session", Reap)) { IsBackground = true, Name = "term " + id + " reaper" };
    }

    public string Id { get; }

    /// <summary>The identity (or, without one, the address) that started the session, the only one it answers.</summary>
    public SessionOwner Owner { get; }

    /// <summary>The child's process id (also its process group's).</summary>
    public int ProcessId => _terminal.ProcessId;

    /// <summary>The observers of this session's output.</summary>
    public ResourceObservers Observers { get; } = new();

    public InputQueue Input { get; }

    /// <summary>Completes with the exit status once the child has been reaped and its last output read.</summary>
    public Task<int> Ended => _ended.Task;

    /// <summary>Completes once the session has been taken off the table (deleted, idle, ended and past retention, or shut down).</summary>
    public Task Removed => _removed.Task;

    /// <summary>The exit status, once ended.</summary>
    public int? Exit
    {
        get
        {
            lock (_gate)
            {
                return _exit;
            }
        }
    }

    /// <summary>When a client last used the session (a timestamp of the settings' clock).</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    /// <summary>Starts the program; throws <see cref="IOException"/> when it cannot be started.</summary>
    public static TerminalSession Start(string id, SessionOwner owner, SessionSettings settings)
    {
        var terminal = PseudoTerminal.Start(settings.Command, settings.Arguments, settings.Environment, SessionSettings.InitialRows, SessionSettings.InitialColumns);
        var session = new TerminalSession(id, owner, settings, terminal);
        session._io.Start();
        session._reaper.Start();
        return session;
    }

    public void Touch() => Interlocked.Exchange(ref _lastActivity, _settings.Time.GetTimestamp());

    public void Resize(ushort rows, ushort columns) => _terminal.Resize(rows, columns);

    /// <summary>Queues input and wakes the I/O loop.</summary>
    public InputOutcome Type(long? offset, ReadOnlySpan<byte> data)
    {
        var outcome = Input.Enqueue(offset, data);
        if (outcome == InputOutcome.Accepted && data.Length > 0)
        {
            Wake();
        }

        return outcome;
    }

    /// <summary>
    /// Hangs up: SIGHUP to every process of the session, SIGKILL after the grace period if it has not ended; completes when the
    /// child has been reaped.
    /// </summary>
    public async Task HangUpAsync()
    {
        if (Ended.IsCompleted)
        {
            return;
        }

        _terminal.SignalSession(Pty.Native.SigHup);
        try
        {
            await Ended.WaitAsync(_settings.HangupGrace, _settings.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _terminal.SignalSession(Pty.Native.SigKill);
            await Ended.ConfigureAwait(false);
        }
    }

    /// <summary>Hangs up if still running, then releases the terminal; bounded so that shutdown never hangs.</summary>
    public void Dispose()
    {
        if (!HangUpAsync().Wait(_settings.HangupGrace * 2 + TimeSpan.FromSeconds(5)))
        {
            StopIo();
        }

        _io.Join(TimeSpan.FromSeconds(5));
        _notifyTimer.Dispose();
        _terminal.Dispose();
        Pty.Native.Close(_wake);
        _removed.TrySetResult();
    }

    /// <summary>The reaper thread: waits for the child, then for its last output, then records how it ended.</summary>
    private void Reap()
    {
        var status = _terminal.WaitForExit();
        _terminal.ReleaseSlave();
        if (!_drained.Task.Wait(_settings.HangupGrace))
        {
            // Something the child left behind holds the terminal: hang it up too, then stop reading.
            _terminal.SignalSession(Pty.Native.SigHup);
            if (!_drained.Task.Wait(_settings.HangupGrace))
            {
                _terminal.SignalSession(Pty.Native.SigKill);
                StopIo();
                _drained.Task.Wait(_settings.HangupGrace);
            }
        }

        lock (_gate)
        {
            _exit = status;
        }

        ScheduleNotification();
        _ended.TrySetResult(status);
    }
}
