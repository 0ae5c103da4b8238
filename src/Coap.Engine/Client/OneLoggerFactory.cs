using Microsoft.Extensions.Logging;

namespace Coap.Engine.Client;

/// <summary>
/// A client logs to the one logger its user gave (the CLI's --verbose trace), whatever the component: every category
/// gets that logger.
/// </summary>
internal sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => logger;

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("A client logs to the one logger it was given.");

    public void Dispose()
    {
    }
}
