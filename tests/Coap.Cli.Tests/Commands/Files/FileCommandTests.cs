using System.Text;
using Coap.Testing.Files;

namespace Coap.Cli.Tests.Commands.Files;

/// <summary>ls, cat, upload, rm and mkdir against a stand-in of the file service on UDP loopback.</summary>
public sealed class FileCommandTests
{
    [Fact]
    public async Task Ls_prints_name_size_and_type_with_directories_marked_by_a_slash()
    {
        await using var server = new TestFileServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "photos"));
        await File.WriteAllTextAsync(Path.Combine(server.Root, "notes.txt"), "hello");
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "big file.bin"), new byte[12345]);

        var result = await CliRun.RunAsync("ls", server.Uri());

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Equal(
            "big file.bin  12345  application/octet-stream\n" +
            "notes.txt         5  text/plain; charset=utf-8\n" +
            "photos/           -  directory\n",
            result.Text);
    }

    [Fact]
    public async Task Verbose_traces_every_message_on_stderr()
    {
        await using var server = new TestFileServer();
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "f.bin"), new byte[100]);

        var result = await CliRun.RunAsync("cat", server.Uri("f.bin"), "-v", "-b", "64");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(100, result.Output.Length);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Count(line => line.StartsWith("> Sent to ", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(line => line.StartsWith("< Received from ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ls_of_a_missing_directory_exits_4_saying_so()
    {
        await using var server = new TestFileServer();

        var result = await CliRun.RunAsync("ls", server.Uri("nothing/"));

        Assert.Equal(4, result.ExitCode);
        Assert.StartsWith("coap: 4.04 Not Found: no such file or directory on the server", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cat_writes_a_multi_block_file_byte_for_byte()
    {
        await using var server = new TestFileServer();
        var body = new byte[5000];
        new Random(5).NextBytes(body);
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "r.bin"), body);

        var result = await CliRun.RunAsync("cat", server.Uri("r.bin"), "--block-size", "64");

        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));
        Assert.Equal(body, result.Output);
    }

    [Fact]
    public async Task Cat_of_a_directory_named_without_its_slash_relays_the_servers_hint()
    {
        await using var server = new TestFileServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "d"));

        var result = await CliRun.RunAsync("cat", server.Uri("d"));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("4.00 Bad Request: is a directory; add a trailing slash", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_writes_a_file_and_into_a_directory_keeps_its_name()
    {
        await using var server = new TestFileServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "in"));
        var local = Path.Combine(Path.GetTempPath(), $"coap-up-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, "payload");
        try
        {
            var named = await CliRun.RunAsync("upload", local, server.Uri("copy.txt"));
            var into = await CliRun.RunAsync("upload", local, server.Uri("in/"), "-b", "16");

            Assert.Equal((0, string.Empty), (named.ExitCode, named.Error));
            Assert.Equal((0, string.Empty), (into.ExitCode, into.Error));
            Assert.Equal("payload", await File.ReadAllTextAsync(Path.Combine(server.Root, "copy.txt")));
            Assert.Equal("payload", await File.ReadAllTextAsync(Path.Combine(server.Root, "in", Path.GetFileName(local))));
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public async Task Put_with_a_file_then_a_uri_is_an_upload_and_put_with_a_uri_stays_a_request()
    {
        await using var server = new TestFileServer();
        var local = Path.Combine(Path.GetTempPath(), $"coap-put-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, "from a file");
        try
        {
            var upload = await CliRun.RunAsync("put", local, server.Uri("a.txt"));
            var request = await CliRun.RunAsync("put", server.Uri("b.txt"), "--payload", "from a request");

            Assert.Equal((0, string.Empty), (upload.ExitCode, upload.Error));
            Assert.Equal((0, string.Empty), (request.ExitCode, request.Error));
            Assert.Equal("from a file", await File.ReadAllTextAsync(Path.Combine(server.Root, "a.txt")));
            Assert.Equal("from a request", await File.ReadAllTextAsync(Path.Combine(server.Root, "b.txt")));
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public async Task Upload_with_no_clobber_refuses_an_existing_file()
    {
        await using var server = new TestFileServer();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "theirs");
        var local = Path.Combine(Path.GetTempPath(), $"coap-up-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, "mine");
        try
        {
            var result = await CliRun.RunAsync("upload", local, server.Uri("a.txt"), "--no-clobber");

            Assert.Equal(4, result.ExitCode);
            Assert.StartsWith("coap: 4.12 Precondition Failed: the file already exists on the server", result.Error, StringComparison.Ordinal);
            Assert.Equal("theirs", await File.ReadAllTextAsync(Path.Combine(server.Root, "a.txt")));
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public async Task Upload_of_a_missing_local_file_is_a_usage_error()
    {
        await using var server = new TestFileServer();

        var result = await CliRun.RunAsync("upload", "/no/such/file", server.Uri("x"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("coap: cannot read '/no/such/file': no such file" + Environment.NewLine, result.Error);
    }

    [Fact]
    public async Task Upload_to_a_read_only_server_exits_4_saying_why()
    {
        await using var server = new TestFileServer();
        server.Resource.ReadOnly = true;
        var local = Path.Combine(Path.GetTempPath(), $"coap-up-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(local, "x");
        try
        {
            var result = await CliRun.RunAsync("upload", local, server.Uri("x.txt"));

            Assert.Equal(4, result.ExitCode);
            Assert.StartsWith("coap: 4.03 Forbidden: the server is read-only or refuses changes to this path", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public async Task Rm_deletes_a_file_and_a_directory_only_with_r()
    {
        await using var server = new TestFileServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "d", "e"));
        await File.WriteAllTextAsync(Path.Combine(server.Root, "d", "e", "f.txt"), "x");
        await File.WriteAllTextAsync(Path.Combine(server.Root, "g.txt"), "x");

        var file = await CliRun.RunAsync("rm", server.Uri("g.txt"));
        var refusedSlash = await CliRun.RunAsync("rm", server.Uri("d/"));
        var refusedNoSlash = await CliRun.RunAsync("rm", server.Uri("d"));
        var recursive = await CliRun.RunAsync("rm", "-r", server.Uri("d"));
        var missing = await CliRun.RunAsync("rm", server.Uri("g.txt"));

        Assert.Equal((0, string.Empty), (file.ExitCode, file.Error));
        Assert.Equal(2, refusedSlash.ExitCode);
        Assert.Contains("is a directory; use coap rm -r", refusedSlash.Error, StringComparison.Ordinal);
        Assert.Equal(4, refusedNoSlash.ExitCode);
        Assert.Contains($"is a directory; use coap rm -r {server.Uri("d/")}", refusedNoSlash.Error, StringComparison.Ordinal);
        Assert.Equal((0, string.Empty), (recursive.ExitCode, recursive.Error));
        Assert.Empty(Directory.GetFileSystemEntries(server.Root));
        Assert.Equal(4, missing.ExitCode);
        Assert.StartsWith("coap: 4.04 Not Found", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mkdir_creates_a_directory_and_accepts_one_that_exists()
    {
        await using var server = new TestFileServer();

        var first = await CliRun.RunAsync("mkdir", server.Uri("new%20dir"));
        var again = await CliRun.RunAsync("mkdir", server.Uri("new%20dir/"));
        var orphan = await CliRun.RunAsync("mkdir", server.Uri("a/b/"));

        Assert.Equal((0, string.Empty), (first.ExitCode, first.Error));
        Assert.Equal((0, string.Empty), (again.ExitCode, again.Error));
        Assert.True(Directory.Exists(Path.Combine(server.Root, "new dir")));
        Assert.Equal(4, orphan.ExitCode);
        Assert.Contains("the parent directory does not exist on the server", orphan.Error, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(string.Empty), orphan.Output);
    }
}
