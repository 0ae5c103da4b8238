using System.Globalization;
using System.Security.Cryptography;
using Coap.Testing.Programs;

namespace Coap.Cli.Tests.Commands;

/// <summary>
/// coaps:// from the command line (-u, -k, --key-file) against libcoap's DTLS servers, coap-server-openssl and
/// coap-server-gnutls: get, block-wise put, observe and delete; a failed handshake is one line on stderr and exit 1;
/// credentials that cannot be used are usage errors (exit 2).
/// </summary>
public sealed class CoapsCommandTests
{
    private const string Key = "secretPSK";

    public static TheoryData<string> Servers => ["coap-server-openssl", "coap-server-gnutls"];

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Get_put_blockwise_observe_and_delete_over_coaps(string program)
    {
        await using var server = await LibcoapServer.StartPskAsync(program, Key);
        var body = new byte[256 * 1024 + 3];
        new Random(3).NextBytes(body);
        var source = Path.Combine(Path.GetTempPath(), $"coap-cli-{Guid.NewGuid():N}.in");
        await File.WriteAllBytesAsync(source, body);
        try
        {
            var put = await CliRun.RunAsync("put", server.SecureUri("upload"), "--file", source, "-t", "octet-stream", "-u", "alice", "-k", Key);
            var get = await CliRun.RunAsync("get", server.SecureUri("upload"), "-u", "alice", "-k", Key);
            var observe = await CliRun.RunAsync("observe", server.SecureUri("time"), "--count", "2", "-u", "alice", "-k", Key);
            var delete = await CliRun.RunAsync("delete", server.SecureUri("upload"), "-u", "alice", "-k", Key);
            var gone = await CliRun.RunAsync("get", server.SecureUri("upload"), "-u", "alice", "-k", Key);

            Assert.Equal((0, string.Empty), (put.ExitCode, put.Error));
            Assert.Equal((0, string.Empty), (get.ExitCode, get.Error));
            Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Convert.ToHexString(SHA256.HashData(get.Output)));
            Assert.Equal(0, observe.ExitCode);
            Assert.Equal(2, observe.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal((0, string.Empty), (delete.ExitCode, delete.Error));
            Assert.Equal(4, gone.ExitCode);
        }
        finally
        {
            File.Delete(source);
        }
    }

    [Fact]
    public async Task Sync_uploads_over_coaps_with_the_credentials_given()
    {
        await using var server = await LibcoapServer.StartPskAsync("coap-server-openssl", Key);
        var local = Directory.CreateTempSubdirectory("coap-cli-");
        var body = new byte[5000];
        new Random(5).NextBytes(body);
        await File.WriteAllBytesAsync(Path.Combine(local.FullName, "a.bin"), body);
        try
        {
            // libcoap's server makes a resource of whatever is PUT (-d), which is all an upload needs.
            var sync = await CliRun.RunAsync("sync", local.FullName, server.SecureUri("up/"), "-u", "alice", "-k", Key);
            var get = await CliRun.RunAsync("get", server.SecureUri("up/a.bin"), "-u", "alice", "-k", Key);
            var refused = await CliRun.RunAsync("sync", local.FullName, server.SecureUri("up/"), "-u", "alice", "-k", "wrong", "-B", "2");

            Assert.Equal((0, string.Empty), (sync.ExitCode, sync.Error));
            Assert.Equal(body, get.Output);
            Assert.Equal(1, refused.ExitCode);
            Assert.StartsWith("coap: DTLS handshake with ", refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            local.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task A_wrong_key_is_one_line_on_stderr_and_exit_1(string program)
    {
        await using var server = await LibcoapServer.StartPskAsync(program, Key);

        var result = await CliRun.RunAsync("get", server.SecureUri("time"), "-u", "alice", "-k", "0x00112233", "-B", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"coap: DTLS handshake with 127.0.0.1:{(server.Port + 1).ToString(CultureInfo.InvariantCulture)} failed: the handshake did not finish within 2 s: wrong key for identity 'alice'?" + Environment.NewLine,
            result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_key_can_come_from_a_file_only_its_owner_may_read()
    {
        await using var server = await LibcoapServer.StartPskAsync("coap-server-openssl", Key);
        var keyFile = Path.Combine(Path.GetTempPath(), $"coap-cli-{Guid.NewGuid():N}.key");
        await File.WriteAllTextAsync(keyFile, Key + "\n");
        try
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var open = await CliRun.RunAsync("get", server.SecureUri("time"), "-u", "alice", "--key-file", keyFile);
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var closed = await CliRun.RunAsync("get", server.SecureUri("time"), "-u", "alice", "--key-file", keyFile);

            Assert.Equal(2, open.ExitCode);
            Assert.Equal($"coap: the key file '{keyFile}' may be read by other users (mode 644): chmod 600 '{keyFile}'" + Environment.NewLine, open.Error);
            Assert.Equal((0, string.Empty), (closed.ExitCode, closed.Error));
            Assert.NotEmpty(closed.Output);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Theory]
    [InlineData("coap: -u/--identity needs a key: -k/--key KEY or --key-file FILE", "-u", "alice")]
    [InlineData("coap: a key needs an identity: -u/--identity ID", "-k", "secret")]
    [InlineData("coap: give the key once: -k/--key or --key-file, not both", "-u", "alice", "-k", "secret", "--key-file", "/nonexistent")]
    [InlineData("coap: invalid key in -k: a key written 0x… needs an even number of hex digits after 0x", "-u", "alice", "-k", "0x123")]
    [InlineData("coap: cannot read the key file '/nonexistent/key': Could not find a part of the path '/nonexistent/key'.", "-u", "alice", "--key-file", "/nonexistent/key")]
    public async Task Credentials_that_cannot_be_used_exit_2(string message, params string[] options)
    {
        var result = await CliRun.RunAsync(["get", "coaps://127.0.0.1/time", .. options]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message + Environment.NewLine, result.Error);
    }
}
