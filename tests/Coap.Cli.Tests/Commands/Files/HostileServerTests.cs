using Coap.Testing.Files;

namespace Coap.Cli.Tests.Commands.Files;

/// <summary>
/// The file commands against a server that lists names meant to step out of the target: such names are refused with a
/// warning, counted, and end the command with exit 3; nothing is written outside the target directory.
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
}
