using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Dtls;

/// <summary>CoapHost with <c>Coap:Security:PskFile</c>: coaps beside coap, plain switched off, and the key file's guard.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class DtlsHostTests : IDisposable
{
    private const string Key = "host-secret-key";

    private readonly string _directory = Directory.CreateTempSubdirectory("coaps-host-").FullName;

    private string KeyFile => Path.Combine(_directory, "keys.txt");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Host_with_a_key_file_serves_coaps_beside_coap()
    {
        WriteKeyFile(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var process = HostProcess.Start($"--Coap:Security:PskFile={KeyFile}", "--Coap:Security:Port=0");
        try
        {
            var (plain, secure) = await ReadPortsAsync(process);
            Assert.NotNull(plain);
            var overDtls = await Tool.RunAsync(Tool.Find("coap-client-openssl"), ["-B", "20", "-u", "carol", "-k", Key, "-A", "text/plain", $"coaps://127.0.0.1:{secure}/time"], TimeSpan.FromSeconds(40));
            var overUdp = await Tool.RunAsync(Tool.Find("coap-client-notls"), ["-B", "20", "-A", "text/plain", $"coap://127.0.0.1:{plain}/time"], TimeSpan.FromSeconds(40));

            Assert.Matches(@"^\d{10}", overDtls.StandardOutput);
            Assert.Matches(@"^\d{10}", overUdp.StandardOutput);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Plain_coap_can_be_switched_off()
    {
        WriteKeyFile(UnixFileMode.UserRead);
        using var process = HostProcess.Start($"--Coap:Security:PskFile={KeyFile}", "--Coap:Security:Port=0", "--Coap:Plain:Enabled=false");
        try
        {
            var (plain, secure) = await ReadPortsAsync(process);
            Assert.Null(plain);
            var overDtls = await Tool.RunAsync(Tool.Find("coap-client-gnutls"), ["-B", "20", "-u", "carol", "-k", Key, "-A", "text/plain", $"coaps://127.0.0.1:{secure}/time"], TimeSpan.FromSeconds(40));
            Assert.Matches(@"^\d{10}", overDtls.StandardOutput);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.OtherWrite)]
    public async Task Host_refuses_a_key_file_other_users_may_read_naming_key_and_file_without_the_key(UnixFileMode extra)
    {
        WriteKeyFile(UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var result = await Tool.RunAsync("dotnet", [HostProcess.Dll, "--Coap:Address=127.0.0.1", "--Coap:Port=0", "--Coap:Security:Port=0", $"--Coap:Security:PskFile={KeyFile}"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"^coap-host: configuration error: [^\n]*Coap:Security:PskFile '{Regex.Escape(KeyFile)}'[^\n]*chmod 600[^\n]*\n$", result.StandardError);
        Assert.DoesNotContain(Key, result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_refuses_a_malformed_key_file_naming_the_line_without_the_key()
    {
        File.WriteAllText(KeyFile, $"carol={Key}\ndave=0x12345\n");
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = await Tool.RunAsync("dotnet", [HostProcess.Dll, "--Coap:Address=127.0.0.1", "--Coap:Port=0", "--Coap:Security:Port=0", $"--Coap:Security:PskFile={KeyFile}"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"^coap-host: configuration error: [^\n]*Coap:Security:PskFile [^\n]*line 2[^\n]*dave[^\n]*\n$", result.StandardError);
        Assert.DoesNotContain("12345", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.StandardError + result.StandardOutput, StringComparison.Ordinal);
    }

    private void WriteKeyFile(UnixFileMode mode)
    {
        File.WriteAllText(KeyFile, $"# test identities\n\ncarol = {Key}\n");
        File.SetUnixFileMode(KeyFile, mode);
    }

    /// <summary>The plain and coaps ports from the host's "listening on" line.</summary>
    private static async Task<(int? Plain, int Secure)> ReadPortsAsync(Process process)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                int? plain = match.Groups[1].Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
                return (plain, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("CoapHost ended without reporting its addresses.");
    }

    [GeneratedRegex(@"listening on (?:127\.0\.0\.1:(\d+), )?coaps://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
