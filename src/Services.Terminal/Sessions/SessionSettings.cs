using Microsoft.Extensions.Logging;

namespace Services.Terminal.Sessions;

/// <summary>What every session of a server shares: the program it runs and its limits.</summary>
internal sealed record SessionSettings(
    string Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    int ScrollbackBytes,
    int InputQueueBytes,
    TimeSpan HangupGrace,
    TimeProvider Time,
    ILogger Logger)
{
    /// <summary>How long new output is gathered before observers are notified of it.</summary>
    public static readonly TimeSpan NotifyDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>The most output bytes one notification carries, so that it fits one 1024-byte block with its header.</summary>
    public const int NotificationBytes = 1000;

    /// <summary>The most output one GET or FETCH answer carries; a client FETCHes again from where it ended.</summary>
    public const int ReadBytes = 64 * 1024;

    /// <summary>
    /// How long a GET or FETCH answer is kept and served again for the same offset, so that the Block2 requests of one
    /// transfer (each renders the resource again) see the same bytes while the output grows.
    /// </summary>
    public static readonly TimeSpan ReadSnapshotLifetime = TimeSpan.FromSeconds(10);

    /// <summary>The most snapshots a session keeps.</summary>
    public const int ReadSnapshots = 16;

    /// <summary>The window size a session starts with, until a client PUTs its own.</summary>
    public const ushort InitialRows = 24;

    public const ushort InitialColumns = 80;
}
