using System.Collections.Concurrent;
using System.Collections;
using System.Security.Cryptography;
using Coap.Engine.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Services.Terminal.Sessions;

/// <summary>
/// The running and recently ended sessions. A sweep removes sessions idle for <see cref="TerminalOptions.IdleTimeout"/>
/// (no request and no observer; they are hung up first) and ended ones after <see cref="TerminalOptions.ExitedRetention"/>;
/// disposing (host shutdown) hangs up every session and reaps it, so no process outlives the service.
/// </summary>
internal sealed partial class TerminalSessions : IDisposable
{
    private readonly ConcurrentDictionary<string, TerminalSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TerminalSession, long> _endedAt = new();
    private readonly TerminalOptions _options;
    private readonly SessionSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _sweeper;
    private readonly Lock _startGate = new();
    private bool _disposed;

    public TerminalSessions(IOptions<TerminalOptions> options, TimeProvider time, ILogger<TerminalSessions> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _settings = new SessionSettings(_options.Command, _options.Arguments, ChildEnvironment(), _options.ScrollbackBytes, _options.InputQueueBytes, _options.HangupGrace, time, logger);
        var shortest = _options.IdleTimeout < _options.ExitedRetention ? _options.IdleTimeout : _options.ExitedRetention;
        var period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 2, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _sweeper = time.CreateTimer(logger, "sweeping idle and ended terminal sessions", Sweep, period, period);
    }

    public int RunningCount => _sessions.Values.Count(session => !session.Ended.IsCompleted);

    public TerminalSession? Find(string id) => _sessions.GetValueOrDefault(id);

    /// <summary>
    /// Starts a session for <paramref name="owner"/>, or returns null when <see cref="TerminalOptions.MaxSessions"/>
    /// are running. Its id is 128 random bits, so no peer guesses another's.
    /// </summary>
    /// <exception cref="IOException">The program could not be started.</exception>
    public TerminalSession? Start(SessionOwner owner)
    {
        lock (_startGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (RunningCount >= _options.MaxSessions)
            {
                return null;
            }

            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var session = TerminalSession.Start(id, owner, _settings);
            _sessions[id] = session;
            WatchEndAsync(session).Forget(_logger, "watching a terminal session's end");
            Log.Started(_logger, id, session.ProcessId, _options.Command);
            return session;
        }
    }

    /// <summary>Hangs the session up (if it still runs), removes it and ends its observations with 4.04.</summary>
    public async Task RemoveAsync(TerminalSession session, string reason)
    {
        await session.HangUpAsync().ConfigureAwait(false);
        if (!_sessions.TryRemove(new KeyValuePair<string, TerminalSession>(session.Id, session)))
        {
            return;
        }

        _endedAt.TryRemove(session, out _);
        Log.Removed(_logger, session.Id, reason, session.Exit);
        session.Dispose();
        session.Observers.NotifyChanged();
    }

    public void Dispose()
    {
        lock (_startGate)
        {
            _disposed = true;
        }

        _sweeper.Dispose();
        var all = _sessions.Values.ToArray();
        Task.WaitAll([.. all.Select(session => Task.Run(session.HangUpAsync))], _options.HangupGrace * 2 + TimeSpan.FromSeconds(5));
        foreach (var session in all)
        {
            _sessions.TryRemove(session.Id, out _);
            session.Dispose();
            session.Observers.NotifyChanged();
        }
    }

    private async Task WatchEndAsync(TerminalSession session)
    {
        var status = await session.Ended.ConfigureAwait(false);
        _endedAt[session] = _time.GetTimestamp();
        Log.Ended(_logger, session.Id, status);
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var session in _sessions.Values)
        {
            if (_endedAt.TryGetValue(session, out var endedAt))
            {
                if (_time.GetElapsedTime(endedAt, now) >= _options.ExitedRetention)
                {
                    RemoveAsync(session, "ended").Forget(_logger, "removing an ended terminal session");
                }
            }
            else if (session.Observers.Count == 0 && _time.GetElapsedTime(session.LastActivity, now) >= _options.IdleTimeout)
            {
                RemoveAsync(session, "idle").Forget(_logger, "removing an idle terminal session");
            }
        }
    }

    /// <summary>The host's environment for the child, with TERM set when the host has none.</summary>
    private static Dictionary<string, string> ChildEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        environment.TryAdd("TERM", "xterm-256color");
        return environment;
    }
}
