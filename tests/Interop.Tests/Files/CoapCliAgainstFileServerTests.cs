using System.Text;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Files;

/// <summary>The `coap` program's file commands against the real file service: the client and the server meet here.</summary>
public sealed class CoapCliAgainstFileServerTests : IClassFixture<FileHostFixture>
{
    private static readonly string Coap = Path.Combine(AppContext.BaseDirectory, "coap.dll");
    private readonly FileHostFixture _host;

    public CoapCliAgainstFileServerTests(FileHostFixture host)
    {
        _host = host;
    }

    private static Task<ProcessResult> RunAsync(params string[] args) => Tool.RunAsync("dotnet", [Coap, .. args], TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Sync_up_and_down_round_trips_a_tree_and_a_second_sync_transfers_nothing()
    {
        var local = Directory.CreateDirectory(Path.Combine(_host.Scratch, "up")).FullName;
        var files = new Dictionary<string, byte[]>
        {
            ["readme.txt"] = Encoding.UTF8.GetBytes("hello\n"),
            ["empty.bin"] = [],
            ["sub/nested/deep.dat"] = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray(),
            ["unicode/größe café.txt"] = Encoding.UTF8.GetBytes("ünïcödé"),
        };
        foreach (var (relative, bytes) in files)
        {
            var path = Path.Combine(local, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes);
        }

        var remote = _host.BaseUri + "tree/";
        var up = await RunAsync("sync", local, remote);
        var again = await RunAsync("sync", local, remote);
        var down = Path.Combine(_host.Scratch, "down");
        var back = await RunAsync("sync", remote, down);
        var listing = await RunAsync("ls", remote);

        Assert.True(up.ExitCode == 0, up.StandardError);
        Assert.Contains("4 uploaded", up.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("0 uploaded, 4 skipped", again.StandardOutput, StringComparison.Ordinal);
        Assert.True(back.ExitCode == 0, back.StandardError);
        foreach (var (relative, bytes) in files)
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_host.Root, "tree", relative)));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(down, relative)));
        }

        Assert.Equal(0, listing.ExitCode);
        Assert.Contains("readme.txt", listing.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sub/", listing.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mkdir_upload_cat_and_rm_work_and_a_stale_overwrite_is_refused()
    {
        var file = Path.Combine(_host.Scratch, "note.txt");
        await File.WriteAllTextAsync(file, "first");
        var dir = _host.BaseUri + "cli/";

        var mkdir = await RunAsync("mkdir", dir);
        var upload = await RunAsync("upload", file, dir + "note.txt");
        var cat = await RunAsync("cat", dir + "note.txt");
        var clobber = await RunAsync("upload", "--no-clobber", file, dir + "note.txt");
        var rmDir = await RunAsync("rm", dir);
        var keptWithoutRecursive = Directory.Exists(Path.Combine(_host.Root, "cli"));
        var rmRecursive = await RunAsync("rm", "-r", dir);

        Assert.Equal(0, mkdir.ExitCode);
        Assert.True(upload.ExitCode == 0, upload.StandardError);
        Assert.Equal("first", cat.StandardOutput);
        Assert.Equal(4, clobber.ExitCode);
        Assert.Contains("4.12", clobber.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, rmDir.ExitCode);
        Assert.True(keptWithoutRecursive);
        Assert.Equal(0, rmRecursive.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_host.Root, "cli")));
    }
}
