using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Coap.Testing;

/// <summary>
/// A logger provider (and factory, for the engine's constructors) that keeps every message of every category, so a
/// test can see what was reported (and what failed).
/// </summary>
public sealed class RecordingLogs : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, string Message, EventId Id)> Entries { get; } = new();

    /// <summary>The exceptions logged with any message, in order.</summary>
    public ConcurrentQueue<Exception> Exceptions { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Every message is recorded here.");

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Entries.Enqueue((logLevel, formatter(state, exception), eventId));
            if (exception is not null)
            {
                owner.Exceptions.Enqueue(exception);
            }
        }
    }
}
