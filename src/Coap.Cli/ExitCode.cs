namespace Coap.Cli;

/// <summary>The process exit codes; the response classes map to their own digit.</summary>
internal static class ExitCode
{
    /// <summary>A 2.xx response.</summary>
    public const int Success = 0;

    /// <summary>No usable response: timeout, RST, a network error, or a discovery answer that is not link-format.</summary>
    public const int NoResponse = 1;

    /// <summary>The command line is wrong: unknown option, bad URI or Content-Format, unreadable or unwritable file.</summary>
    public const int Usage = 2;

    /// <summary>
    /// The server listed a name that is not a plain name once decoded (<c>..</c>, <c>a%2Fb</c>, <c>%2Ftmp%2Fx</c>, …),
    /// or a directory deeper than a sync enters: it was refused and skipped with a warning, everything else was done.
    /// </summary>
    public const int Refused = 3;

    /// <summary>A 4.xx response.</summary>
    public const int ClientError = 4;

    /// <summary>A 5.xx response.</summary>
    public const int ServerError = 5;

    /// <summary>Interrupted by Ctrl+C or SIGTERM, as shells report a SIGINT.</summary>
    public const int Interrupted = 130;
}
