using Coap.Engine.Protocol;
using Coap.Testing.Files;

namespace Coap.Cli.Tests.Commands.Files;

/// <summary>
/// The file commands against a server that lies: names meant to step out of the target are refused with a warning,
/// counted, and end the command with exit 3; listings too long, directories without end, sizes no file can have,
/// representations that change between blocks and blocks that never come in order end with a clear message. Nothing
/// is written outside the target directory.
/// </summary>
public sealed class HostileServerTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("coap-hostile-").FullName;

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    private string Target => Path.Combine(_parent, "target");

    /// <summary>A directory beside the target that must stay empty.</summary>
    private string Sentinel => Path.Combine(_parent, "sentinel");

    /// <summary>The absolute path the server lists; nothing may appear there.</summary>
    private string Absolute => Path.Combine(_parent, "absolute", "x");

    private string Links =>
        $"<%2E%2E%2Fescaped.txt>;sz=7,<..>,<.>,<%2E%2E/>,<a%2Fb>,<a%5Cb>,<%00>,<{Uri.EscapeDataString(Absolute)}>,<{Uri.EscapeDataString("../sentinel/x")}>,<ok.txt>;sz=7";

    [Fact]
    public async Task A_sync_download_refuses_every_name_that_steps_out_and_writes_only_below_the_target()
    {
        Directory.CreateDirectory(Sentinel);
        Directory.CreateDirectory(Path.GetDirectoryName(Absolute)!);
        await using var server = new HostileFileServer(Links, []);

        var result = await CliRun.RunAsync("sync", server.Uri, Target);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("downloaded ok.txt\n1 downloaded, 0 skipped, 0 failed, 9 refused, 0 directories created, 7 B\n", result.Text);
        Assert.Contains("coap: ..%2Fescaped.txt: refused and skipped, the server listed a name with a slash, backslash or NUL\n", result.Error, StringComparison.Ordinal);
        Assert.Contains("coap: %2E%2E: refused and skipped, the server listed a name for this or the parent directory\n", result.Error, StringComparison.Ordinal);
        Assert.Equal(9, result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(["absolute", "sentinel", "target"], Directory.GetFileSystemEntries(_parent).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Sentinel));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(Absolute)!));
        Assert.Equal([".coap-sync", "ok.txt"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(HostileFileServer.FileBody, await File.ReadAllBytesAsync(Path.Combine(Target, "ok.txt")));
    }

    [Fact]
    public async Task Ls_shows_only_plain_names_and_warns_of_the_rest()
    {
        await using var server = new HostileFileServer(Links, []);

        var result = await CliRun.RunAsync("ls", server.Uri);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("ok.txt", result.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("escaped", result.Text, StringComparison.Ordinal);
        Assert.Contains("coap: %00: refused and skipped, the server listed a name with a slash, backslash or NUL\n", result.Error, StringComparison.Ordinal);
        Assert.Equal(9, result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_listing_of_100_000_entries_is_refused_as_too_many()
    {
        var links = string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"<f{i:D6}>"));
        await using var server = new HostileFileServer(links, []);

        var listed = await CliRun.RunAsync("ls", server.Uri);
        var synced = await CliRun.RunAsync("sync", server.Uri, Target);

        Assert.Equal(1, listed.ExitCode);
        Assert.Empty(listed.Text);
        Assert.Equal($"coap: the listing of {server.Uri} holds more than 65536 entries, more than this client reads (MaxListingEntries)\n", listed.Error);
        Assert.Equal(1, synced.ExitCode);
        Assert.Contains("holds more than 65536 entries", synced.Error, StringComparison.Ordinal);
        Assert.Equal([".coap-sync"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_directory_that_lists_itself_without_end_is_entered_64_levels_deep_and_no_further()
    {
        await using var server = new HostileFileServer("<d/>", []) { Directories = _ => "<d/>" };

        var result = await CliRun.RunAsync("sync", server.Uri, Target);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("0 downloaded, 0 skipped, 0 failed, 1 refused, 64 directories created, 0 B\n", result.Text.Split('\n')[^2] + "\n");
        Assert.Equal($"coap: {string.Concat(Enumerable.Repeat("d/", 64))}d/: refused and skipped, the server listed a directory more than 64 levels below the top, not entered (a server that lists a directory inside itself would never end)\n", result.Error);
        Assert.True(Directory.Exists(Path.Combine([Target, .. Enumerable.Repeat("d", 64)])));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine([Target, .. Enumerable.Repeat("d", 64)])));
        Assert.Equal(["target"], Directory.GetFileSystemEntries(_parent).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_directory_that_answers_as_a_file_fails_alone_and_the_sync_goes_on()
    {
        await using var server = new HostileFileServer("<x/>,<ok.txt>;sz=7", []) { Directories = path => path == "x/" ? null : string.Empty };

        var result = await CliRun.RunAsync("sync", server.Uri, Target);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("downloaded ok.txt\ncreated x/\n1 downloaded, 0 skipped, 1 failed, 1 directory created, 7 B\n", result.Text);
        Assert.StartsWith($"coap: x/: The listing of {server.Uri}x/ is not link-format (RFC 6690): ", result.Error, StringComparison.Ordinal);
        Assert.Equal([".coap-sync", "ok.txt", "x"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Target, "x")));
    }

    [Fact]
    public async Task A_listed_size_no_file_can_have_is_not_believed()
    {
        await using var server = new HostileFileServer("<big>;sz=9223372036854775807,<bigger>;sz=18446744073709551616,<negative>;sz=-1,<ok.txt>;sz=7", []);

        var listed = await CliRun.RunAsync("ls", server.Uri);
        var planned = await CliRun.RunAsync("sync", "--dry-run", server.Uri, Target);
        var synced = await CliRun.RunAsync("sync", server.Uri, Target);

        Assert.Equal(0, listed.ExitCode);
        Assert.DoesNotContain("9223372036854775807", listed.Text, StringComparison.Ordinal);
        Assert.Equal(["big", "bigger", "negative"], listed.Text.Split('\n').Where(line => line.Contains(" - ", StringComparison.Ordinal)).Select(line => line.Split(' ')[0]));
        Assert.Equal("", planned.Error);
        Assert.EndsWith("4 downloaded, 0 skipped, 0 failed, 0 directories created, 7 B (dry run: nothing was changed)\n", planned.Text, StringComparison.Ordinal);
        Assert.EndsWith("4 downloaded, 0 skipped, 0 failed, 0 directories created, 28 B\n", synced.Text, StringComparison.Ordinal);
        Assert.All(["big", "bigger", "negative", "ok.txt"], name => Assert.Equal(HostileFileServer.FileBody, File.ReadAllBytes(Path.Combine(Target, name))));
    }

    [Fact]
    public async Task A_file_whose_etag_changes_half_way_is_refused_with_4_12_and_leaves_nothing()
    {
        await using var server = new HostileFileServer("<big.bin>;sz=3000", []) { Content = new byte[3000], ETags = block => [(byte)(block < 2 ? 1 : 2)] };

        var read = await CliRun.RunAsync("cat", server.Uri + "big.bin");
        var synced = await CliRun.RunAsync("sync", server.Uri, Target);

        Assert.Equal(4, read.ExitCode);
        Assert.Equal($"coap: 4.12 Precondition Failed: the file changed on the server while it was being read; read it again [{server.Uri}big.bin]\n", read.Error);
        Assert.Equal(4, synced.ExitCode);
        Assert.Equal("0 downloaded, 0 skipped, 1 failed, 0 directories created, 0 B\n", synced.Text);
        Assert.Equal([".coap-sync"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_listing_whose_etag_changes_half_way_is_refused_with_4_12()
    {
        var links = string.Join(',', Enumerable.Range(0, 300).Select(i => $"<f{i:D3}>"));
        await using var server = new HostileFileServer(links, []) { ETags = block => [(byte)(block == 0 ? 1 : 2)] };

        var result = await CliRun.RunAsync("ls", server.Uri);

        Assert.Equal(4, result.ExitCode);
        Assert.Empty(result.Text);
        Assert.Equal($"coap: 4.12 Precondition Failed: the directory changed on the server while it was being listed (its ETag differs between blocks); list it again [{server.Uri}]\n", result.Error);
    }

    [Fact]
    public async Task Blocks_that_do_not_go_on_where_the_last_left_off_are_not_followed()
    {
        await using var server = new HostileFileServer(string.Empty, [])
        {
            Raw = _ =>
            {
                var block = CoapMessage.CreateResponse(CoapCode.Content, new byte[1024], ContentFormat.OctetStream);
                block.Options.Add(new BlockValue(0, true, 6).ToOption(OptionNumber.Block2));
                return block;
            },
        };

        var result = await CliRun.RunAsync("cat", server.Base + "/raw/endless");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(1024, result.Output.Length);
        Assert.Equal($"coap: the server answered the request for byte 1024 of {server.Base}/raw/endless with 1024 bytes at byte 0 and more to come; a block-wise transfer goes on where it left off, in full blocks (RFC 7959 §2.2, §2.4)\n", result.Error);
    }
}
