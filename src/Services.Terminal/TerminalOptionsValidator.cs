using Coap.Engine.Hosting;
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
        if (ModulePath.Check($"{Section}:Path", options.Path) is { } path)
        {
            failures.Add(path);
        }

        if (!System.IO.Path.IsPathRooted(options.Command) || !File.Exists(options.Command) || !IsExecutable(options.Command))
        {
            failures.Add($"{Section}:Command must be the absolute path of an existing executable program (got '{options.Command}').");
        }

        for (var i = 0; i < options.AllowedPeers.Count; i++)
        {
            if (!IsNetwork(options.AllowedPeers[i]))
            {
                failures.Add($"{Section}:AllowedPeers:{i} must be a network in CIDR notation such as 192.0.2.0/24, without host bits (got '{options.AllowedPeers[i]}').");
            }
            else if (IPNetwork.Parse(options.AllowedPeers[i]).PrefixLength == 0 && !options.AllowAnyPeer)
            {
                failures.Add($"{Section}:AllowedPeers:{i} '{options.AllowedPeers[i]}' lets every address run commands; set {Section}:AllowAnyPeer to true if that is meant.");
            }
            else if (IPNetwork.Parse(options.AllowedPeers[i]).BaseAddress.IsIPv4MappedToIPv6)
            {
                failures.Add($"{Section}:AllowedPeers:{i} '{options.AllowedPeers[i]}' is an IPv4-mapped IPv6 network, which matches no peer (an IPv4 peer is judged by its IPv4 address); write the IPv4 network.");
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

    /// <summary>
    /// A network in CIDR notation whose address has no bits set past the prefix: "10.0.0.1/8" is refused rather than
    /// read as 10.0.0.0/8, since it may as well have meant the one host 10.0.0.1, and this list grants a shell.
    /// </summary>
    private static bool IsNetwork(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPNetwork.TryParse(text, out var network) || !IPAddress.TryParse(text.AsSpan(0, slash), out var address))
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether some execute bit is set; on Windows, where the service cannot run anyway, every file counts.</summary>
    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(365))
        {
            failures.Add($"{Section}:{key} must be a positive time span of at most a year, such as 00:00:02 (got {value}).");
        }
    }
}
