using Microsoft.Extensions.Logging;

namespace Coap.Cli.Output;

/// <summary>
/// The --verbose trace of commands that send many requests (the file commands): the engine's own log of every
/// message sent ("&gt; ") and received ("&lt; "), and of retransmissions and timeouts, one line each on stderr.
/// </summary>
internal sealed class VerboseLog(TextWriter error) : ILogger
{
    private const int Sent = 1;
    private const int Received = 2;

    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var prefix = eventId.Id switch
        {
            Sent => "> ",
            Received => "< ",
            _ => "  ",
        };
        lock (_gate)
        {
            error.WriteLine(prefix + formatter(state, exception));
        }
    }
}
