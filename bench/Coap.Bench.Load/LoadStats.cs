namespace Coap.Bench.Load;

/// <summary>What one worker counted inside the measurement window; merged after the workers have stopped.</summary>
internal sealed class LoadStats
{
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Responses by code byte (class &lt;&lt; 5 | detail).</summary>
    public long[] Codes { get; } = new long[256];

    public long Ok { get; set; }

    public long NonSuccess { get; set; }

    public long Timeouts { get; set; }

    public long Resets { get; set; }

    public long EmptyAcks { get; set; }

    public long SeparateAcksSent { get; set; }

    public long Unmatched { get; set; }

    public long Malformed { get; set; }

    public long SocketErrors { get; set; }

    public long Rotations { get; set; }

    /// <summary>err as coapload counts it: non-2.xx + timeouts + RST.</summary>
    public long Errors => NonSuccess + Timeouts + Resets;

    public void Add(LoadStats other)
    {
        Latency.Add(other.Latency);
        for (var i = 0; i < Codes.Length; i++)
        {
            Codes[i] += other.Codes[i];
        }

        Ok += other.Ok;
        NonSuccess += other.NonSuccess;
        Timeouts += other.Timeouts;
        Resets += other.Resets;
        EmptyAcks += other.EmptyAcks;
        SeparateAcksSent += other.SeparateAcksSent;
        Unmatched += other.Unmatched;
        Malformed += other.Malformed;
        SocketErrors += other.SocketErrors;
        Rotations += other.Rotations;
    }
}
