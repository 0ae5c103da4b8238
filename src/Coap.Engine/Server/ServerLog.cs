using System.Net;
using Coap.Engine.Messaging;
using Coap.Engine.Oscore;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Server;

internal static partial class ServerLog
{
    [LoggerMessage(100, LogLevel.Information, "CoAP server listening on {EndPoints} with {Count} resources")]
    public static partial void Listening(ILogger logger, string endPoints, int count);

    [LoggerMessage(101, LogLevel.Warning, "Could not bind {Address} port {Port}: {Reason}")]
    public static partial void BindFailed(ILogger logger, IPAddress address, int port, string reason);

    [LoggerMessage(102, LogLevel.Debug, "OSCORE request from {Peer} refused: {Failure}")]
    public static partial void OscoreRefused(ILogger logger, CoapPeer peer, OscoreFailure failure);
}
