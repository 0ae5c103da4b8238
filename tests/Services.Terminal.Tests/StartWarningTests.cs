using Coap.Engine.Server;
using Coap.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Services.Terminal.Tests;

/// <summary>Enabled on a server listening beyond loopback, the terminal warns at start; on loopback it does not.</summary>
public sealed class StartWarningTests
{
    [Theory]
    [InlineData("::", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("192.0.2.1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    public async Task A_warning_names_the_address_when_it_is_not_loopback(string address, bool warned)
    {
        var logs = new CapturingLoggerProvider();
        await using var server = new ModuleServer(new TerminalModule(), new Dictionary<string, string?> { ["Modules:Terminal:Command"] = "/bin/sh" }, configureServices: services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.AddSingleton(Options.Create(new CoapServerOptions { Address = address }));
        });

        var warnings = logs.Entries.Where(entry => entry.Level == LogLevel.Warning).ToList();
        Assert.Equal(warned, warnings.Count == 1);
        Assert.All(warnings, warning => Assert.Contains(address, warning.Message, StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }

        public void Dispose()
        {
        }
    }
}
