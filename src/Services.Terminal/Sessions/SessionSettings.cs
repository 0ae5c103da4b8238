namespace Services.Terminal.Sessions;

/// <summary>What every session of a server shares: the program it runs and its limits.</summary>
internal sealed record SessionSettings(
    string Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    int ScrollbackBytes,
    int InputQueueBytes,
    TimeSpan HangupGrace,
    TimeProvider Time)
{
    /// <summary>How long new output is gathered before observers are notified of it.</summary>
    public static readonly TimeSpan NotifyDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>The most output bytes one notification carries, so that it fits one 1024-byte block with its header.</summary>
    public const int NotificationBytes = 1000;

    /// <summary>The window size a session starts with, until a client PUTs its own.</summary>
    public const ushort InitialRows = 24;

    public const ushort InitialColumns = 80;
}
