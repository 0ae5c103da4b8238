using Coap.Engine.Messaging;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Observe;

/// <summary>Log events of observations: Debug for registrations and removals, Error for a failing render.</summary>
internal static partial class ObserveLog
{
    [LoggerMessage(40, LogLevel.Debug, "{Peer} observes {Path} with token {Token}")]
    public static partial void Registered(ILogger logger, CoapPeer peer, string path, Protocol.CoapToken token);

    [LoggerMessage(41, LogLevel.Debug, "Observation of {Peer} with token {Token} ended: {Reason}")]
    public static partial void Removed(ILogger logger, CoapPeer peer, Protocol.CoapToken token, string reason);

    [LoggerMessage(42, LogLevel.Error, "Rendering a notification of {Path} failed")]
    public static partial void RenderFailed(ILogger logger, Exception error, string path);

    [LoggerMessage(43, LogLevel.Error, "Sending the notifications of {Path} failed")]
    public static partial void FanOutFailed(ILogger logger, Exception error, string path);
}
