using System.Net;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Server;

internal static partial class ServerLog
{
    [LoggerMessage(100, LogLevel.Information, "CoAP server listening on {EndPoints} with {Count} resources")]
    public static partial void Listening(ILogger logger, string endPoints, int count);

    [LoggerMessage(101, LogLevel.Warning, "Could not bind {Address} port {Port}: {Reason}")]
    public static partial void BindFailed(ILogger logger, IPAddress address, int port, string reason);
}
