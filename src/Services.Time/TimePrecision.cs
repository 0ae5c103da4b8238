namespace Services.Time;

/// <summary>How finely the time service reports time: whole seconds (an integer) or a fraction of a second.</summary>
public enum TimePrecision
{
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}
