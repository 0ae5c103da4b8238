using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Dtls;

/// <summary>
/// The host as a user secures it: a PSK key file, loopback not trusted, and a rule that only alice writes files. Over
/// coaps the PSK identity is what the access policy judges: alice's `coap sync` goes up and comes back down, mallory
/// (a known identity, not allowed) gets 4.03 from both `coap` and libcoap's client and writes nothing, a plain-CoAP
/// peer gets 4.01, and everyone may read.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SecuredHostTests : IAsyncLifetime
{
    private const string AliceKey = "alice-secret";
    private const string MalloryKey = "0x6d616c6c6f7279";
    private static readonly string Coap = Path.Combine(AppContext.BaseDirectory, "coap.dll");

    private readonly string _directory = Directory.CreateTempSubdirectory("coaps-secured-").FullName;
    private Process? _host;
    private int _plain;
    private int _secure;

    private string Root => Path.Combine(_directory, "root");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        var keys = Path.Combine(_directory, "keys.txt");
        await File.WriteAllTextAsync(keys, $"alice={AliceKey}\nmallory={MalloryKey}\n");
        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _host = HostProcess.Start(
            $"--Coap:Security:PskFile={keys}", "--Coap:Security:Port=0", "--Access:TrustLoopback=false",
            "--Access:Rules:files:Write=alice", $"--Modules:FileServer:Root={Root}", "--Modules:FileServer:Writable=true");
        (_plain, _secure) = await ReadPortsAsync(_host);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            _host.Kill(entireProcessTree: true);
            await _host.WaitForExitAsync();
            _host.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Alice_syncs_a_tree_up_and_down_over_coaps()
    {
        var local = Directory.CreateDirectory(Path.Combine(_directory, "up")).FullName;
        var body = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 13)).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(local, "big.bin"), body);
        Directory.CreateDirectory(Path.Combine(local, "sub"));
        await File.WriteAllTextAsync(Path.Combine(local, "sub", "note.txt"), "over DTLS\n");
        var remote = $"coaps://127.0.0.1:{_secure}/files/tree/";

        var up = await CoapAsync("sync", local, remote, "-u", "alice", "-k", AliceKey);
        var down = Path.Combine(_directory, "down");
        var back = await CoapAsync("sync", remote, down, "-u", "alice", "-k", AliceKey);

        Assert.True(up.ExitCode == 0, up.StandardError);
        Assert.Contains("2 uploaded", up.StandardOutput, StringComparison.Ordinal);
        Assert.True(back.ExitCode == 0, back.StandardError);
        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(Root, "tree", "big.bin")));
        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(down, "big.bin")));
        Assert.Equal("over DTLS\n", await File.ReadAllTextAsync(Path.Combine(down, "sub", "note.txt")));
    }

    [Fact]
    public async Task An_identity_the_rule_does_not_name_gets_4_03_and_writes_nothing_while_it_may_read()
    {
        await File.WriteAllTextAsync(Path.Combine(Root, "readme.txt"), "hello\n");
        var source = Path.Combine(_directory, "payload.txt");
        await File.WriteAllTextAsync(source, "mallory was here\n");

        var ours = await CoapAsync("put", $"coaps://127.0.0.1:{_secure}/files/by-coap.txt", "--file", source, "-u", "mallory", "-k", MalloryKey);
        var libcoap = await Tool.RunAsync(Tool.Find("coap-client-openssl"),
            ["-B", "20", "-u", "mallory", "-k", "mallory", "-m", "put", "-f", source, $"coaps://127.0.0.1:{_secure}/files/by-libcoap.txt"], TimeSpan.FromSeconds(40));
        var read = await CoapAsync("get", $"coaps://127.0.0.1:{_secure}/files/readme.txt", "-u", "mallory", "-k", MalloryKey);

        Assert.NotEqual(0, ours.ExitCode);
        Assert.Contains("4.03", ours.StandardError + ours.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("4.03", libcoap.StandardError + libcoap.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Root, "by-coap.txt")));
        Assert.False(File.Exists(Path.Combine(Root, "by-libcoap.txt")));
        Assert.True(read.ExitCode == 0, read.StandardError);
        Assert.Equal("hello\n", read.StandardOutput);
    }

    [Fact]
    public async Task Alice_writes_with_libcoap_while_an_anonymous_plain_peer_gets_4_01()
    {
        var source = Path.Combine(_directory, "payload.txt");
        await File.WriteAllTextAsync(source, "from alice\n");

        var alice = await Tool.RunAsync(Tool.Find("coap-client-openssl"),
            ["-B", "20", "-u", "alice", "-k", AliceKey, "-m", "put", "-f", source, $"coaps://127.0.0.1:{_secure}/files/alice.txt"], TimeSpan.FromSeconds(40));
        var anonymous = await CoapAsync("put", $"coap://127.0.0.1:{_plain}/files/anonymous.txt", "--file", source);

        Assert.True(File.Exists(Path.Combine(Root, "alice.txt")), alice.StandardError + alice.StandardOutput);
        Assert.Equal("from alice\n", await File.ReadAllTextAsync(Path.Combine(Root, "alice.txt")));
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("4.01", anonymous.StandardError + anonymous.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Root, "anonymous.txt")));
    }

    private static Task<ProcessResult> CoapAsync(params string[] args) => Tool.RunAsync("dotnet", [Coap, .. args], TimeSpan.FromSeconds(60));

    /// <summary>The plain and coaps ports from the host's "listening on" line.</summary>
    private static async Task<(int Plain, int Secure)> ReadPortsAsync(Process process)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
        {
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("CoapHost ended without reporting its addresses.");
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+), coaps://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
