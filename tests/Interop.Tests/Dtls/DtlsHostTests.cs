using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Dtls;

/// <summary>
/// CoapHost with <c>Coap:Security:PskFile</c>: coaps beside coap, plain switched off, and the key file's guard; with
/// <c>CertificateFile</c>, <c>PrivateKeyFile</c> and <c>CaFile</c>: the client certificate's CN is the identity the
/// access policy judges, and a shared private key file is refused.
/// </summary>
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
    [Fact]
    public async Task The_common_name_of_a_client_certificate_is_the_identity_the_access_policy_judges()
    {
        using var pki = await TestCertificates.CreateAsync();
        var server = await pki.IssueAsync("server", "localhost");
        var carol = await pki.IssueAsync("carol", "carol");
        var dave = await pki.IssueAsync("dave", "dave");
        var root = Directory.CreateDirectory(Path.Combine(_directory, "root")).FullName;
        var body = Path.Combine(_directory, "body.txt");
        await File.WriteAllTextAsync(body, "written by carol");
        using var process = HostProcess.Start(
            $"--Coap:Security:CertificateFile={server.Certificate}", $"--Coap:Security:PrivateKeyFile={server.Key}", $"--Coap:Security:CaFile={pki.Ca}",
            "--Coap:Security:Port=0", "--Coap:Plain:Enabled=false", $"--Modules:FileServer:Root={root}", "--Modules:FileServer:Writable=true",
            "--Access:Rules:files:PUT=carol");
        try
        {
            var (_, secure) = await ReadPortsAsync(process);
            string[] Put((string Certificate, string Key) client, string name) =>
                ["-B", "20", "-c", client.Certificate, "-j", client.Key, "-C", pki.Ca, "-m", "put", "-f", body, $"coaps://127.0.0.1:{secure}/files/{name}"];

            var byDave = await Tool.RunAsync(Tool.Find("coap-client-openssl"), Put(dave, "dave.txt"), TimeSpan.FromSeconds(40));
            var byCarol = await Tool.RunAsync(Tool.Find("coap-client-gnutls"), Put(carol, "carol.txt"), TimeSpan.FromSeconds(40));

            Assert.Contains("4.03", byDave.StandardOutput + byDave.StandardError, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(root, "dave.txt")));
            Assert.Equal("written by carol", await File.ReadAllTextAsync(Path.Combine(root, "carol.txt")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Host_refuses_a_certificate_key_other_users_may_read()
    {
        using var pki = await TestCertificates.CreateAsync();
        var server = await pki.IssueAsync("server", "localhost");
        File.SetUnixFileMode(server.Key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var result = await Tool.RunAsync("dotnet", [HostProcess.Dll, "--Coap:Address=127.0.0.1", "--Coap:Port=0", "--Coap:Security:Port=0",
            $"--Coap:Security:CertificateFile={server.Certificate}", $"--Coap:Security:PrivateKeyFile={server.Key}"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"^coap-host: configuration error: [^\n]*Coap:Security:PrivateKeyFile '{Regex.Escape(server.Key)}'[^\n]*chmod 600[^\n]*\n$", result.StandardError);
    }

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
