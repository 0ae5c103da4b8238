using System.Security.Cryptography;
using System.Text.Json;

namespace Coap.Mount.Tests;

/// <summary>
/// The native coap (what <c>dotnet publish src/Coap.Cli</c> gives a user) does what the JIT-compiled coap.dll of the
/// other tests does, in the parts that lean on the runtime: Q-Block transfers, JSON output, DTLS (BouncyCastle) and
/// FUSE callbacks into managed code.
/// </summary>
public sealed class NativeCoapTests(NativeCoap coap) : IClassFixture<NativeCoap>
{
    [Fact]
    public async Task Native_coap_puts_and_gets_a_mebibyte_and_reports_the_time_as_json()
    {
        await using var host = await FileHost.StartAsync();
        var body = RandomNumberGenerator.GetBytes(1 << 20);
        var local = Path.Combine(host.Root, "..", $"{Path.GetFileName(host.Root)}-local.bin");
        await File.WriteAllBytesAsync(local, body);
        var back = local + ".back";
        try
        {
            var put = await coap.RunAsync("put", host.Uri + "big.bin", "--file", local);
            var get = await coap.RunAsync("get", host.Uri + "big.bin", "-o", back);
            var time = await coap.RunAsync("time", host.Uri.Replace("/files/", string.Empty, StringComparison.Ordinal), "--json");

            Assert.True(put.ExitCode == 0, put.StandardError);
            Assert.Equal(SHA256.HashData(body), SHA256.HashData(await File.ReadAllBytesAsync(host.PathOf("big.bin"))));
            Assert.True(get.ExitCode == 0, get.StandardError);
            Assert.Equal(SHA256.HashData(body), SHA256.HashData(await File.ReadAllBytesAsync(back)));
            Assert.True(time.ExitCode == 0, time.StandardError);
            using var json = JsonDocument.Parse(time.StandardOutput);
            Assert.InRange(json.RootElement.GetProperty("offsetSeconds").GetDouble(), -1, 1);
            Assert.True(json.RootElement.GetProperty("samples").GetInt32() > 0, time.StandardOutput);
        }
        finally
        {
            File.Delete(local);
            File.Delete(back);
        }
    }

    [FuseFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Native_coap_mounts_over_coaps_and_reads_and_writes()
    {
        await using var host = await FileHost.StartSecureAsync("alice", "native-secret");
        await File.WriteAllTextAsync(host.PathOf("hello.txt"), "native over DTLS\n");
        await using var mount = await MountedDirectory.StartWithAsync([coap.Executable], host.Uri, "-u", "alice", "-k", "native-secret");

        var read = await mount.ShellAsync("cat hello.txt");
        var write = await mount.ShellAsync("printf 'written by the native mount\\n' > new.txt && ls");

        Assert.Equal("native over DTLS\n", read.StandardOutput);
        Assert.True(write.ExitCode == 0, write.StandardError);
        Assert.Equal("hello.txt\nnew.txt\n", write.StandardOutput);
        Assert.Equal("written by the native mount\n", await File.ReadAllTextAsync(host.PathOf("new.txt")));
    }
}
