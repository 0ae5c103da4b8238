namespace Coap.Cli.Clock;

/// <summary>Steps the local clock; the seam between `coap time --set` and the operating system.</summary>
internal interface IClockStepper
{
    /// <summary>Moves the clock by <paramref name="offset"/>; false with a reason when it may not or cannot.</summary>
    bool TryStep(TimeSpan offset, out string error);
}
