using Microsoft.Extensions.Logging;

namespace Services.Proxy;

/// <summary>The proxy's log messages (EventIds 900-999).</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(900, LogLevel.Information, "Proxy cache: {Hits} hits, {Misses} misses, {Bytes} bytes held")]
    public static partial void CacheReport(ILogger logger, long hits, long misses, long bytes);

    [LoggerMessage(901, LogLevel.Information, "Proxy: {Upstream} did not answer {Method} {Uri} in time")]
    public static partial void UpstreamTimeout(ILogger logger, string upstream, string method, string uri);

    [LoggerMessage(902, LogLevel.Information, "Proxy: {Uri} failed upstream: {Reason}")]
    public static partial void UpstreamFailed(ILogger logger, string uri, string reason);

    [LoggerMessage(903, LogLevel.Debug, "Proxy: upstream {Upstream} busy, {Method} {Uri} refused with 5.03")]
    public static partial void Busy(ILogger logger, string upstream, string method, string uri);

    [LoggerMessage(904, LogLevel.Debug, "Proxy: observing {Uri} upstream")]
    public static partial void ObservationStarted(ILogger logger, string uri);

    [LoggerMessage(905, LogLevel.Debug, "Proxy: stopped observing {Uri} upstream ({Reason})")]
    public static partial void ObservationStopped(ILogger logger, string uri, string reason);

    [LoggerMessage(906, LogLevel.Debug, "Proxy: request from {Peer} refused: {Reason}")]
    public static partial void Refused(ILogger logger, System.Net.IPEndPoint peer, string reason);
}
