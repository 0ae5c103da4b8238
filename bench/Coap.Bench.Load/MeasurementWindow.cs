namespace Coap.Bench.Load;

/// <summary>The measured interval in <see cref="System.Diagnostics.Stopwatch"/> timestamps; the warm-up lies before it.</summary>
internal readonly record struct MeasurementWindow(long Start, long End)
{
    public bool Contains(long timestamp) => timestamp >= Start && timestamp < End;
}
