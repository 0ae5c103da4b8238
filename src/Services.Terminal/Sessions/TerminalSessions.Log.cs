using Microsoft.Extensions.Logging;

namespace Services.Terminal.Sessions;

internal sealed partial class TerminalSessions
{
    private static partial class Log
    {
        [LoggerMessage(801, LogLevel.Information, "Terminal session {Id} started: process {ProcessId} runs {Command}")]
        public static partial void Started(ILogger logger, string id, int processId, string command);

        [LoggerMessage(802, LogLevel.Information, "Terminal session {Id} ended with status {Status}")]
        public static partial void Ended(ILogger logger, string id, int status);

        [LoggerMessage(803, LogLevel.Information, "Terminal session {Id} removed ({Reason}, status {Status})")]
        public static partial void Removed(ILogger logger, string id, string reason, int? status);
    }
}
