using System.Net;
using Microsoft.Extensions.Options;

namespace Services.Terminal;

/// <summary>Checks "Modules:Terminal" at start-up and names each bad key.</summary>
internal sealed class TerminalOptionsValidator : IValidateOptions<TerminalOptions>
{
    private const string Section = TerminalOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TerminalOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Path.Trim('/')) || options.Path.Contains('{', StringComparison.Ordinal))
        {
            failures.Add($"{Section}:Path must be a non-empty path without parameters (got '{options.Path}').");
        }

        if (!System.IO.Path.IsPathRooted(options.Command) || !File.Exists(options.Command))
        {
            failures.Add($"{Section}:Command must be the absolute path of an existing program (got '{options.Command}').");
        }

        for (var i = 0; i < options.AllowedPeers.Count; i++)
        {
            if (!IPNetwork.TryParse(options.AllowedPeers[i], out _))
            {
                failures.Add($"{Section}:AllowedPeers:{i} must be a network in CIDR notation such as 192.0.2.0/24 (got '{options.AllowedPeers[i]}').");
            }
        }

        if (options.MaxSessions is < 1 or > 1000)
        {
            failures.Add($"{Section}:MaxSessions must be between 1 and 1000 (got {options.MaxSessions}).");
        }

        Positive(failures, "IdleTimeout", options.IdleTimeout);
        Positive(failures, "HangupGrace", options.HangupGrace);
        Positive(failures, "ExitedRetention", options.ExitedRetention);
        if (options.ScrollbackBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"{Section}:ScrollbackBytes must be between 1024 and 67108864 (got {options.ScrollbackBytes}).");
        }

        if (options.InputQueueBytes is < 16 or > 1024 * 1024)
        {
            failures.Add($"{Section}:InputQueueBytes must be between 16 and 1048576 (got {options.InputQueueBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(365))
        {
            failures.Add($"{Section}:{key} must be a positive time span of at most a year, such as 00:00:02 (got {value}).");
        }
    }
}
