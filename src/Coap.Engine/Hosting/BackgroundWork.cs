using Microsoft.Extensions.Logging;

namespace Coap.Engine.Hosting;

/// <summary>
/// Work nobody awaits: timer callbacks, fire-and-forget tasks, thread bodies. An exception escaping a timer callback
/// or a thread ends the process, and one escaping an unawaited task vanishes unseen; these wrappers catch it, log it
/// once at Error naming the work, and return, so a failing piece of background work never takes the host down.
/// The work itself cleans up what it holds (a <c>finally</c>), since only it knows what that is. Work started per
/// message (a late response, a CON's outcome, a notification's) catches inline and calls <see cref="Report"/>, so
/// it costs no continuation.
/// </summary>
public static partial class BackgroundWork
{
    /// <summary>A timer whose callback cannot end the process.</summary>
    public static ITimer CreateTimer(this TimeProvider time, ILogger logger, string what, Action callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.CreateTimer(_ => Run(logger, what, callback), null, dueTime, period);
    }

    /// <summary>Runs <paramref name="work"/> and logs instead of throwing.</summary>
    public static void Run(ILogger logger, string what, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            work();
        }
        catch (Exception error)
        {
            Report(logger, error, what);
        }
    }

    /// <summary>Lets <paramref name="task"/> run on unawaited; a fault is logged once.</summary>
    public static void Forget(this Task task, ILogger logger, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            LogFault(task, logger, what);
            return;
        }

        _ = task.ContinueWith(
            static (t, state) => LogFault(t, ((Fault)state!).Logger, ((Fault)state).What),
            new Fault(logger, what),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>As <see cref="Forget(Task, ILogger, string)"/>; a value task that already succeeded costs nothing.</summary>
    public static void Forget(this ValueTask task, ILogger logger, string what)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        task.AsTask().Forget(logger, what);
    }

    private static void LogFault(Task task, ILogger logger, string what)
    {
        if (task.Exception is { } error)
        {
            Report(logger, error.InnerExceptions.Count == 1 ? error.InnerExceptions[0] : error, what);
        }
    }

    /// <summary>Logs the failure of background work; for callbacks that catch themselves to stay free of closures.</summary>
    [LoggerMessage(120, LogLevel.Error, "Background work failed and was abandoned: {What}")]
    public static partial void Report(ILogger logger, Exception error, string what);

    private sealed record Fault(ILogger Logger, string What);
}
