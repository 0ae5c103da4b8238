using System.Security.Cryptography;
using System.Text;

namespace Coap.Mount.Tests;

/// <summary>Plain shell tools on the mounted tree; the server's root must hold exactly the bytes they wrote.</summary>
public sealed class ShellToolsTests : IClassFixture<MountFixture>
{
    private static readonly TimeSpan BulkLimit = TimeSpan.FromMinutes(5);

    private readonly FileHost _host;
    private readonly MountedDirectory _mount;

    public ShellToolsTests(MountFixture fixture)
    {
        _host = fixture.Host;
        _mount = fixture.Mount;
    }

    [FuseFact]
    public async Task Ls_and_cat_show_what_the_server_holds_with_size_and_mtime()
    {
        Directory.CreateDirectory(_host.PathOf("show/inner"));
        await File.WriteAllTextAsync(_host.PathOf("show/hello.txt"), "hello, mount\n");
        var modified = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(_host.PathOf("show/hello.txt"), modified);
        await _mount.ShowsAsync("show/hello.txt");

        var ls = await _mount.ShellAsync("ls show && stat -c '%s %Y %F' show/hello.txt show/inner && cat show/hello.txt && stat -f -c '%S %b %a' .");

        var inner = new DateTimeOffset(Directory.GetLastWriteTimeUtc(_host.PathOf("show/inner"))).ToUnixTimeSeconds();
        Assert.True(ls.ExitCode == 0, ls.StandardError);
        Assert.Equal(
            $"hello.txt\ninner\n13 {new DateTimeOffset(modified).ToUnixTimeSeconds()} regular file\n0 {inner} directory\nhello, mount\n4096 268435456 268435456\n",
            ls.StandardOutput);
    }

    [FuseFact]
    public async Task Echo_append_overwrite_and_truncate_reach_the_server()
    {
        var result = await _mount.ShellAsync(
            "mkdir edit && echo one > edit/a.txt && echo two >> edit/a.txt && cat edit/a.txt && " +
            "echo new > edit/b.txt && echo replaced > edit/b.txt && " +
            "printf 0123456789 > edit/c.txt && truncate -s 4 edit/c.txt && truncate -s 0 edit/b.txt && echo again >> edit/b.txt");

        Assert.True(result.ExitCode == 0, result.StandardError + _mount.Log);
        Assert.Equal("one\ntwo\n", result.StandardOutput);
        Assert.Equal("one\ntwo\n", await File.ReadAllTextAsync(_host.PathOf("edit/a.txt")));
        Assert.Equal("again\n", await File.ReadAllTextAsync(_host.PathOf("edit/b.txt")));
        Assert.Equal("0123", await File.ReadAllTextAsync(_host.PathOf("edit/c.txt")));
    }

    [FuseFact]
    public async Task Touch_chmod_and_chown_succeed_without_changing_the_content()
    {
        var result = await _mount.ShellAsync("mkdir meta && touch meta/new.txt && echo kept > meta/old.txt && touch meta/old.txt && chmod 600 meta/old.txt && chown 0:0 meta/old.txt && cat meta/old.txt");

        Assert.True(result.ExitCode == 0, result.StandardError + _mount.Log);
        Assert.Equal("kept\n", result.StandardOutput);
        Assert.Equal(0, new FileInfo(_host.PathOf("meta/new.txt")).Length);
        Assert.Equal("kept\n", await File.ReadAllTextAsync(_host.PathOf("meta/old.txt")));
    }

    [FuseFact]
    public async Task Mkdir_p_mv_and_rm_change_the_tree_on_the_server()
    {
        var result = await _mount.ShellAsync(
            "mkdir -p tree/a/b/c && echo moved > tree/file && mv tree/file tree/a/b/c/renamed && " +
            "echo gone > tree/doomed && rm tree/doomed && mkdir tree/empty && rmdir tree/empty && ls -R tree");

        Assert.True(result.ExitCode == 0, result.StandardError + _mount.Log);
        Assert.Equal("moved\n", await File.ReadAllTextAsync(_host.PathOf("tree/a/b/c/renamed")));
        Assert.Equal(
            ["a", "a/b", "a/b/c", "a/b/c/renamed"],
            Directory.EnumerateFileSystemEntries(_host.PathOf("tree"), "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(_host.PathOf("tree"), path)).Order(StringComparer.Ordinal));
    }

    [FuseFact]
    public async Task Mv_of_a_directory_copies_the_tree_and_removes_the_original()
    {
        var result = await _mount.ShellAsync("mkdir -p dirmove/src/sub && echo deep > dirmove/src/sub/f && mv dirmove/src dirmove/dst");

        Assert.True(result.ExitCode == 0, result.StandardError + _mount.Log);
        Assert.Equal("deep\n", await File.ReadAllTextAsync(_host.PathOf("dirmove/dst/sub/f")));
        Assert.False(Directory.Exists(_host.PathOf("dirmove/src")));
    }

    [FuseFact]
    public async Task Rmdir_of_a_non_empty_directory_is_refused_and_keeps_it()
    {
        Directory.CreateDirectory(_host.PathOf("full"));
        await File.WriteAllTextAsync(_host.PathOf("full/keep.txt"), "keep");
        await _mount.ShowsAsync("full/keep.txt");

        var result = await _mount.ShellAsync("rmdir full");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Directory not empty", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("keep", await File.ReadAllTextAsync(_host.PathOf("full/keep.txt")));
    }

    [FuseFact]
    public async Task A_20_MiB_file_copies_in_and_out_intact_and_parallel_cats_agree()
    {
        var local = Path.Combine(Path.GetTempPath(), $"mount-big-{Guid.NewGuid():N}");
        var back = local + ".back";
        var bytes = new byte[20 << 20];
        new Random(20).NextBytes(bytes);
        await File.WriteAllBytesAsync(local, bytes);
        try
        {
            // 60 MiB through the mount, then 80 MiB in four parallel reads: 10 s on an idle machine, over a minute on a busy
            // one. The bound is only there to end a hang.
            var copy = await _mount.ShellAsync($"cp '{local}' big.bin && cmp '{local}' big.bin && cp big.bin '{back}'", BulkLimit);
            var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var cats = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _mount.ShellAsync("cat big.bin | sha256sum", BulkLimit)));

            Assert.True(copy.ExitCode == 0, copy.StandardError + _mount.Log);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(_host.PathOf("big.bin")));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(back));
            Assert.All(cats, cat => Assert.Equal($"{expected}  -\n", cat.StandardOutput));
        }
        finally
        {
            File.Delete(local);
            File.Delete(back);
        }
    }

    [FuseFact]
    public async Task Changes_made_by_another_client_show_through_the_mount()
    {
        var first = await _mount.ShellAsync("mkdir -p others && ls others");
        await _host.Files.WriteAsync(Engine.Client.CoapUri.Parse(_host.Uri + "others/theirs.txt"), Encoding.UTF8.GetBytes("from elsewhere"));

        await _mount.ShowsAsync("others/theirs.txt");

        Assert.Equal(string.Empty, first.StandardOutput);
        Assert.Equal("from elsewhere", await File.ReadAllTextAsync(_mount.PathOf("others/theirs.txt")));
    }
}
