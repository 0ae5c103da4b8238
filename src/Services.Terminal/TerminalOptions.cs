namespace Services.Terminal;

/// <summary>The terminal service's settings, bound from "Modules:Terminal".</summary>
public sealed class TerminalOptions
{
    public const string SectionName = "Modules:Terminal";

    /// <summary>Where the sessions live: POST here starts one, "{Path}{id}/" is a session.</summary>
    public string Path { get; set; } = "/term/";

    /// <summary>The program each session runs, an absolute path: the user's shell ($SHELL), or /bin/sh.</summary>
    public string Command { get; set; } = DefaultShell();

    /// <summary>Its arguments.</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>Networks (CIDR, "192.0.2.0/24", "2001:db8::/32") whose peers may use the service besides loopback; everyone else gets 4.01.</summary>
    public List<string> AllowedPeers { get; set; } = [];

    /// <summary>Lets <see cref="AllowedPeers"/> hold a network of every address (0.0.0.0/0, ::/0): a shell for anyone who reaches the port.</summary>
    public bool AllowAnyPeer { get; set; }

    /// <summary>How many sessions may run at once; one more POST gets 5.03.</summary>
    public int MaxSessions { get; set; } = 8;

    /// <summary>A session nobody observes or sends a request to for this long is hung up.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How much output each session keeps for GET and FETCH (the scroll-ring).</summary>
    public int ScrollbackBytes { get; set; } = 64 * 1024;

    /// <summary>How much input may wait for the program; a POST that does not fit gets 5.03 with Max-Age.</summary>
    public int InputQueueBytes { get; set; } = 4096;

    /// <summary>How long a hang-up waits after SIGHUP before it sends SIGKILL.</summary>
    public TimeSpan HangupGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an ended session stays readable (its last output, its exit status) before it is removed.</summary>
    public TimeSpan ExitedRetention { get; set; } = TimeSpan.FromMinutes(1);

    private static string DefaultShell() =>
        Environment.GetEnvironmentVariable("SHELL") is { Length: > 0 } shell && System.IO.Path.IsPathRooted(shell) ? shell : "/bin/sh";
}
