using Coap.Testing.Files;

namespace Coap.Cli.Tests.Commands.Files;

/// <summary>coap sync both ways against a stand-in of the file service on UDP loopback.</summary>
public sealed class SyncCommandTests : IDisposable
{
    private readonly string _local = Directory.CreateTempSubdirectory("coap-sync-").FullName;

    public void Dispose() => Directory.Delete(_local, recursive: true);

    /// <summary>Every file below a directory as relative path → content, the sync state file left out.</summary>
    private static SortedDictionary<string, string> Tree(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) != ".coap-sync")
            .ToDictionary(path => Path.GetRelativePath(root, path), path => Convert.ToHexString(File.ReadAllBytes(path))),
        StringComparer.Ordinal);

    private void MakeTree()
    {
        Directory.CreateDirectory(Path.Combine(_local, "docs", "deep", "deeper"));
        Directory.CreateDirectory(Path.Combine(_local, "empty dir"));
        File.WriteAllText(Path.Combine(_local, "readme.txt"), "top");
        File.WriteAllBytes(Path.Combine(_local, "empty"), []);
        File.WriteAllText(Path.Combine(_local, "docs", "grüße & ünïcödé;,.txt"), "unicode");
        File.WriteAllBytes(Path.Combine(_local, "docs", "deep", "deeper", "big.bin"), Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray());
        File.WriteAllBytes(Path.Combine(_local, "docs", "deep", "nothing"), []);
    }

    [Fact]
    public async Task A_tree_goes_up_and_down_whole_and_a_second_sync_transfers_nothing()
    {
        await using var server = new TestFileServer();
        MakeTree();
        var back = Path.Combine(_local, "..", Path.GetFileName(_local) + "-back");

        try
        {
            var up = await CliRun.RunAsync("sync", _local, server.Uri());
            var writes = server.Resource.Writes;
            var upAgain = await CliRun.RunAsync("sync", _local, server.Uri());
            var down = await CliRun.RunAsync("sync", server.Uri(), back, "-b", "256");
            var reads = server.Resource.Reads;
            var downAgain = await CliRun.RunAsync("sync", server.Uri(), back);

            Assert.Equal((0, string.Empty), (up.ExitCode, up.Error));
            Assert.EndsWith("5 uploaded, 0 skipped, 0 failed, 4 directories created, 2.9 KiB\n", up.Text, StringComparison.Ordinal);
            Assert.Contains("uploaded docs/grüße & ünïcödé;,.txt\n", up.Text, StringComparison.Ordinal);
            Assert.Contains("created empty dir/\n", up.Text, StringComparison.Ordinal);
            Assert.Equal(Tree(_local), Tree(server.Root));
            Assert.True(Directory.Exists(Path.Combine(server.Root, "empty dir")));

            Assert.Equal((0, string.Empty), (upAgain.ExitCode, upAgain.Error));
            Assert.Equal("0 uploaded, 5 skipped, 0 failed, 0 directories created, 0 B\n", upAgain.Text);
            Assert.Equal(writes, server.Resource.Writes);

            Assert.Equal((0, string.Empty), (down.ExitCode, down.Error));
            Assert.EndsWith("5 downloaded, 0 skipped, 0 failed, 4 directories created, 2.9 KiB\n", down.Text, StringComparison.Ordinal);
            Assert.Equal(Tree(_local), Tree(back));
            Assert.True(Directory.Exists(Path.Combine(back, "empty dir")));

            Assert.Equal((0, string.Empty), (downAgain.ExitCode, downAgain.Error));
            Assert.Equal("0 downloaded, 5 skipped, 0 failed, 0 directories created, 0 B\n", downAgain.Text);
            Assert.Equal(reads, server.Resource.Reads);
        }
        finally
        {
            if (Directory.Exists(back))
            {
                Directory.Delete(back, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Only_the_changed_file_goes_up_again()
    {
        await using var server = new TestFileServer();
        MakeTree();
        await CliRun.RunAsync("sync", _local, server.Uri());
        var changed = Path.Combine(_local, "docs", "deep", "nothing");
        await File.WriteAllTextAsync(changed, "now something");
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(1));

        var result = await CliRun.RunAsync("sync", _local, server.Uri());

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Equal("uploaded docs/deep/nothing\n1 uploaded, 4 skipped, 0 failed, 0 directories created, 13 B\n", result.Text);
        Assert.Equal("now something", await File.ReadAllTextAsync(Path.Combine(server.Root, "docs", "deep", "nothing")));
    }

    [Fact]
    public async Task An_overwrite_of_a_file_changed_on_the_server_fails_with_4_12_and_keeps_the_servers_copy()
    {
        await using var server = new TestFileServer();
        await File.WriteAllTextAsync(Path.Combine(_local, "shared.txt"), "v1");
        await CliRun.RunAsync("sync", _local, server.Uri());
        await File.WriteAllTextAsync(Path.Combine(server.Root, "shared.txt"), "theirs");
        await File.WriteAllTextAsync(Path.Combine(_local, "shared.txt"), "mine");
        File.SetLastWriteTimeUtc(Path.Combine(_local, "shared.txt"), DateTime.UtcNow.AddMinutes(1));

        var result = await CliRun.RunAsync("sync", _local, server.Uri());

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("coap: shared.txt: 4.12 Precondition Failed: the file changed on the server since you read it", result.Error, StringComparison.Ordinal);
        Assert.Equal("0 uploaded, 0 skipped, 1 failed, 0 directories created, 0 B\n", result.Text);
        Assert.Equal("theirs", await File.ReadAllTextAsync(Path.Combine(server.Root, "shared.txt")));
    }

    [Fact]
    public async Task A_download_never_overwrites_a_file_changed_on_both_sides()
    {
        await using var server = new TestFileServer();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "v1");
        await CliRun.RunAsync("sync", server.Uri(), _local);
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "theirs");
        await File.WriteAllTextAsync(Path.Combine(_local, "a.txt"), "mine!");
        File.SetLastWriteTimeUtc(Path.Combine(_local, "a.txt"), DateTime.UtcNow.AddMinutes(1));

        var result = await CliRun.RunAsync("sync", server.Uri(), _local);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("a.txt: changed here and on the server since the last sync", result.Error, StringComparison.Ordinal);
        Assert.Equal("mine!", await File.ReadAllTextAsync(Path.Combine(_local, "a.txt")));
    }

    [Fact]
    public async Task An_upload_creates_the_remote_directory_but_not_its_missing_parent()
    {
        await using var server = new TestFileServer();
        await File.WriteAllTextAsync(Path.Combine(_local, "a.txt"), "a");

        var created = await CliRun.RunAsync("sync", _local, server.Uri("new/"));
        var orphan = await CliRun.RunAsync("sync", _local, server.Uri("missing/new/"));

        Assert.Equal((0, string.Empty), (created.ExitCode, created.Error));
        Assert.Equal("created ./\nuploaded a.txt\n1 uploaded, 0 skipped, 0 failed, 1 directory created, 1 B\n", created.Text);
        Assert.Equal("a", await File.ReadAllTextAsync(Path.Combine(server.Root, "new", "a.txt")));
        Assert.Equal(4, orphan.ExitCode);
        Assert.StartsWith("coap: ./: 4.04 Not Found: the parent directory does not exist on the server", orphan.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_says_what_it_would_do_and_changes_nothing()
    {
        await using var server = new TestFileServer();
        MakeTree();

        var result = await CliRun.RunAsync("sync", _local, server.Uri(), "--dry-run");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Contains("would upload readme.txt\n", result.Text, StringComparison.Ordinal);
        Assert.Contains("would create docs/deep/\n", result.Text, StringComparison.Ordinal);
        Assert.EndsWith("5 uploaded, 0 skipped, 0 failed, 4 directories created, 2.9 KiB (dry run: nothing was changed)\n", result.Text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(server.Root));
        Assert.False(File.Exists(Path.Combine(_local, ".coap-sync")));
    }

    [Theory]
    [InlineData("a", "b")]
    [InlineData("coap://127.0.0.1/x/", "coap://127.0.0.1/y/")]
    public async Task Sync_needs_one_local_directory_and_one_uri(string source, string destination)
    {
        var result = await CliRun.RunAsync("sync", source, destination);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("coap: give one local directory and one coap:// directory URI", result.Error, StringComparison.Ordinal);
    }
}
