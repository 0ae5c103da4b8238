namespace Services.Time;

/// <summary>The time service's settings, bound from "Modules:Time".</summary>
public sealed class TimeOptions
{
    public const string SectionName = "Modules:Time";

    /// <summary>The resource's path.</summary>
    public string Path { get; set; } = "time";

    /// <summary>Seconds as an integer, or a fraction: a float in tag 1 and decimals in text. The extended form always has nanoseconds.</summary>
    public TimePrecision Precision { get; set; } = TimePrecision.Seconds;

    /// <summary>TAI − UTC in seconds, for ?scale=tai (37 since 2017).</summary>
    public int TaiUtcOffset { get; set; } = 37;

    /// <summary>How often observers are notified.</summary>
    public TimeSpan NotifyInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A Content-Format number that asks for the RFC 9581 extended form by Accept alone; none by default.</summary>
    public int? ExtendedContentFormat { get; set; }
}
