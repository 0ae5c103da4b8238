namespace Services.Terminal.Sessions;

/// <summary>What became of POSTed input.</summary>
internal enum InputOutcome
{
    /// <summary>Queued (or already there: a re-sent pair whose bytes were all seen).</summary>
    Accepted,

    /// <summary>The queue has no room for it; nothing was taken.</summary>
    Full,

    /// <summary>Its offset lies past the input received so far: bytes before it are missing.</summary>
    Gap,
}
