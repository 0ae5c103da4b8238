using System.Net;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Messaging;

/// <summary>Why a datagram was dropped or refused without reaching an exchange.</summary>
internal enum DropReason
{
    /// <summary>It could not be decoded (RFC 7252 §4.2, §4.3).</summary>
    Malformed,

    /// <summary>An ACK that no CON in flight expects.</summary>
    UnmatchedAck,

    /// <summary>A RST that no CON in flight or observation explains.</summary>
    UnmatchedReset,

    /// <summary>A response to no request of ours (reset, RFC 7252 §5.3.2).</summary>
    UnmatchedResponse,

    /// <summary>A new address while the peer table is full of peers it may not forget.</summary>
    PeerTableFull,
}

/// <summary>
/// Counts the datagrams a hostile or confused peer sends that lead nowhere, and reports them as one line per
/// <see cref="Interval"/> with the counts by reason and the last one, instead of one line per datagram: a flood of
/// garbage must not become a flood of log lines. The first after a quiet interval is reported at once; the rest wait
/// for the next one after the interval or for <see cref="Flush"/>. The line is a Warning, or Information when it counts
/// only unmatched ACKs, which also come in normal traffic (the ACK of a CON given up on, cancelled or replaced, RFC
/// 7252 §4.2 ignores them). Each datagram is also logged at Debug.
/// </summary>
internal sealed partial class DroppedDatagrams
{
    /// <summary>At most one summary per this time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly string[] Names = ["malformed", "unmatched ACK", "unmatched RST", "unmatched response", "peer table full"];

    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly int[] _counts = new int[Names.Length];
    private readonly SocketAddress _lastAddress = new(System.Net.Sockets.AddressFamily.InterNetworkV6);
    private long _nextReport;
    private long _firstAt;
    private int _total;
    private DropReason _lastReason;
    private CoapDecodeError _lastError;
    private int _lastLength;
    private CoapMessage? _lastMessage;

    public DroppedDatagrams(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _intervalTicks = (long)(Interval.TotalSeconds * time.TimestampFrequency);
        _nextReport = time.GetTimestamp();
    }

    /// <summary>A datagram that could not be decoded.</summary>
    public void Malformed(SocketAddress from, int length, CoapDecodeError error)
    {
        lock (_gate)
        {
            Count(DropReason.Malformed, from);
            _lastError = error;
            _lastLength = length;
            _lastMessage = null;
            ReportIfDue();
        }
    }

    /// <summary>A datagram that decoded but matches nothing.</summary>
    public void Unmatched(DropReason reason, SocketAddress from, CoapMessage message)
    {
        lock (_gate)
        {
            Count(reason, from);
            _lastMessage = message;
            ReportIfDue();
        }
    }

    /// <summary>A datagram from a new address while the peer table is full.</summary>
    public void Refused(SocketAddress from, int length)
    {
        lock (_gate)
        {
            Count(DropReason.PeerTableFull, from);
            _lastLength = length;
            _lastMessage = null;
            ReportIfDue();
        }
    }

    /// <summary>Reports what was counted once the interval since the last report has passed (called by the sweep).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_total > 0)
            {
                ReportIfDue();
            }
        }
    }

    private void Count(DropReason reason, SocketAddress from)
    {
        if (_total++ == 0)
        {
            _firstAt = _time.GetTimestamp();
        }

        _counts[(int)reason]++;
        _lastReason = reason;
        _lastAddress.Size = from.Size;
        from.Buffer.Span[..from.Size].CopyTo(_lastAddress.Buffer.Span);
    }

    private void ReportIfDue()
    {
        var now = _time.GetTimestamp();
        if (now < _nextReport)
        {
            return;
        }

        var kinds = new List<string>();
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] > 0)
            {
                kinds.Add($"{Names[i]} {_counts[i]}");
            }
        }

        var last = _lastReason switch
        {
            DropReason.Malformed => $"malformed, {_lastLength} bytes: {_lastError}",
            DropReason.PeerTableFull => $"peer table full, {_lastLength} bytes",
            _ => $"{Names[(int)_lastReason]}: {_lastMessage}",
        };
        var level = _counts[(int)DropReason.UnmatchedAck] == _total ? LogLevel.Information : LogLevel.Warning;
        Summary(_logger, level, _total, string.Join(", ", kinds), Math.Round(_time.GetElapsedTime(_firstAt, now).TotalSeconds), Describe(_lastAddress), last);
        Array.Clear(_counts);
        _total = 0;
        _lastMessage = null;
        _nextReport = now + _intervalTicks;
    }

    private static string Describe(SocketAddress address)
    {
        var endPoint = address.ToIPEndPoint();
        return endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port).ToString() : endPoint.ToString();
    }

    [LoggerMessage(EventId = 30, Message = "{Count} datagrams dropped ({Reasons}) over {Seconds} s; the last from {Peer}: {Last}")]
    private static partial void Summary(ILogger logger, LogLevel level, int count, string reasons, double seconds, string peer, string last);
}
