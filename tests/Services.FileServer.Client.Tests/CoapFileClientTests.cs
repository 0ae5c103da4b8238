using System.Net;
using System.Text;
using Coap.Engine.Client;
using Services.FileServer.Client;
using Coap.Engine.Protocol;
using Coap.Testing.Files;
using Coap.Testing.Relay;

namespace Services.FileServer.Client.Tests;

/// <summary>The file client against a stand-in of the file service on real UDP loopback.</summary>
public sealed class CoapFileClientTests
{
    private static byte[] Body(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        return body;
    }

    private static async Task<T> WithClientAsync<T>(Func<CoapFileClient, Task<T>> run, int blockSize = 1024)
    {
        var client = new CoapClient(new CoapClientOptions { BlockSize = blockSize, Timeout = TimeSpan.FromSeconds(10) });
        await using (client)
        {
            return await run(new CoapFileClient(client));
        }
    }

    [Fact]
    public async Task A_listing_names_files_with_size_and_format_and_directories_with_a_slash()
    {
        await using var server = new TestFileServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "sub dir"));
        await File.WriteAllTextAsync(Path.Combine(server.Root, "notes.txt"), "hello");
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "grüße;,\"<.bin"), Body(3));
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "empty"), []);

        var entries = await WithClientAsync(async files => (await files.GetListingAsync(CoapUri.Parse(server.Uri()))).Entries);

        Assert.Equal(
            [
                new RemoteEntry("empty", false, 0, ContentFormat.OctetStream),
                new RemoteEntry("grüße;,\"<.bin", false, 3, ContentFormat.OctetStream),
                new RemoteEntry("notes.txt", false, 5, ContentFormat.TextPlain),
                new RemoteEntry("sub dir", true, null, ContentFormat.LinkFormat),
            ],
            entries.OrderBy(entry => entry.Name, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Listing_adds_the_trailing_slash_and_an_empty_directory_lists_nothing()
    {
        await using var server = new TestFileServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "empty"));

        var entries = await WithClientAsync(async files => (await files.GetListingAsync(CoapUri.Parse(server.Uri("empty")))).Entries);

        Assert.Empty(entries);
    }

    [Fact]
    public async Task A_listing_larger_than_a_block_comes_whole()
    {
        await using var server = new TestFileServer();
        for (var i = 0; i < 300; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(server.Root, $"file-{i:D3} ü.bin"), new byte[i]);
        }

        var entries = await WithClientAsync(async files => (await files.GetListingAsync(CoapUri.Parse(server.Uri()))).Entries, blockSize: 64);

        Assert.Equal(300, entries.Count);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => ($"file-{i:D3} ü.bin", (long?)i)), entries.Select(entry => (entry.Name, entry.Size)).OrderBy(entry => entry.Item1, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1025, 1024)]
    [InlineData(5000, 64)]
    public async Task What_is_written_reads_back_whole_with_the_same_etag(int length, int blockSize)
    {
        await using var server = new TestFileServer();
        var body = Body(length);
        var uri = CoapUri.Parse(server.Uri("data.bin"));
        var reports = new List<TransferProgress>();

        var (written, read, content) = await WithClientAsync(
            async files =>
            {
                var written = await files.WriteAsync(uri, body);
                using var destination = new MemoryStream();
                var read = await files.ReadAsync(uri, destination, new SyncProgress(reports));
                return (written, read, destination.ToArray());
            },
            blockSize);

        Assert.Equal(body, content);
        Assert.NotNull(written);
        Assert.Equal(written, read);
        Assert.Equal(body, await File.ReadAllBytesAsync(Path.Combine(server.Root, "data.bin")));
        Assert.Equal(new TransferProgress(length, length), reports[^1]);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(60, 10)]
    [InlineData(100, 300)]
    [InlineData(990, 100)]
    [InlineData(1000, 5)]
    [InlineData(2000, 5)]
    public async Task A_range_comes_from_the_blocks_that_cover_it(int offset, int count)
    {
        await using var server = new TestFileServer();
        var body = Body(1000);
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "r.bin"), body);

        var range = await WithClientAsync(files => files.ReadRangeAsync(CoapUri.Parse(server.Uri("r.bin")), offset, count), blockSize: 64);

        Assert.Equal(body.Skip(offset).Take(count).ToArray(), range);
    }

    [Fact]
    public async Task A_range_of_many_blocks_comes_in_Q_Block2_bursts_not_one_request_per_block()
    {
        await using var server = new TestFileServer();
        var body = Body(64 * 1024);
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "big.bin"), body);
        await using var relay = ImpairmentRelay.Start(new IPEndPoint(IPAddress.Loopback, server.Port));
        const int Offset = 5000, Count = 40_000;

        var range = await WithClientAsync(files => files.ReadRangeAsync(CoapUri.Parse($"coap://{relay.Authority}/files/big.bin"), Offset, Count));

        Assert.Equal(body.Skip(Offset).Take(Count).ToArray(), range);
        // Blocks 4 to 44 of 1024 bytes: 41 requests block by block.
        Assert.InRange(relay.ForwardedToServer, 1, 20);
    }

    [Fact]
    public async Task A_file_replaced_between_blocks_stops_the_read_with_4_12()
    {
        await using var server = new TestFileServer();
        var path = Path.Combine(server.Root, "moving.bin");
        await File.WriteAllBytesAsync(path, Body(200));
        var progress = new SyncProgress([]);
        progress.OnFirst = () => File.WriteAllBytes(path, Body(300));

        var error = await WithClientAsync(
            files => Assert.ThrowsAsync<CoapFileException>(() => files.ReadAsync(CoapUri.Parse(server.Uri("moving.bin")), Stream.Null, progress)),
            blockSize: 64);

        Assert.Equal(CoapCode.PreconditionFailed, error.Code);
        Assert.Contains("the file changed on the server while it was being read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_replaced_during_a_q_block2_read_stops_it_with_4_12_on_the_engines_typed_signal()
    {
        await using var server = new TestFileServer();
        var path = Path.Combine(server.Root, "moving.bin");
        await File.WriteAllBytesAsync(path, Body(640));
        // The first report is block 0's, written when block 1 came by the Q-Block2 probe: the set after it reads the new file.
        var progress = new SyncProgress([]) { OnFirst = () => File.WriteAllBytes(path, Body(700)) };

        var error = await WithClientAsync(
            files => Assert.ThrowsAsync<CoapFileException>(() => files.ReadAsync(CoapUri.Parse(server.Uri("moving.bin")), Stream.Null, progress)),
            blockSize: 64);

        Assert.Equal(CoapCode.PreconditionFailed, error.Code);
        Assert.Equal($"4.12 Precondition Failed: the file changed on the server while it was being read; read it again [{server.Uri("moving.bin")}]", error.Message);
        Assert.IsType<CoapRepresentationChangedException>(error.InnerException);
    }

    [Fact]
    public async Task Stat_learns_size_and_etag_from_one_small_block()
    {
        await using var server = new TestFileServer();
        await File.WriteAllBytesAsync(Path.Combine(server.Root, "big.bin"), Body(4000));

        var (info, etag) = await WithClientAsync(async files =>
        {
            var uri = CoapUri.Parse(server.Uri("big.bin"));
            var info = await files.StatAsync(uri);
            return (info, await files.ReadAsync(uri, Stream.Null));
        });

        Assert.Equal(new RemoteFileInfo(false, 4000, etag, ContentFormat.OctetStream), info);
    }

    [Fact]
    public async Task Is_current_asks_with_the_etag_and_reads_no_content()
    {
        await using var server = new TestFileServer();
        var uri = CoapUri.Parse(server.Uri("f.bin"));

        var (current, stale) = await WithClientAsync(async files =>
        {
            var first = await files.WriteAsync(uri, Body(100));
            var current = await files.IsCurrentAsync(uri, first!);
            await files.WriteAsync(uri, Body(101));
            return (current, await files.IsCurrentAsync(uri, first!));
        });

        Assert.True(current);
        Assert.False(stale);
        Assert.Equal(1, server.Resource.Reads);
    }

    [Fact]
    public async Task An_overwrite_with_a_stale_etag_fails_with_4_12_and_keeps_the_other_write()
    {
        await using var server = new TestFileServer();
        var uri = CoapUri.Parse(server.Uri("shared.txt"));

        var error = await WithClientAsync(async files =>
        {
            var first = await files.WriteAsync(uri, "v1"u8.ToArray(), ifNoneMatch: true);
            await files.WriteAsync(uri, "theirs"u8.ToArray(), ifMatch: first);
            return await Assert.ThrowsAsync<CoapFileException>(() => files.WriteAsync(uri, "mine"u8.ToArray(), ifMatch: first));
        });

        Assert.Equal(CoapCode.PreconditionFailed, error.Code);
        Assert.StartsWith("4.12 Precondition Failed: the file changed on the server since you read it", error.Message, StringComparison.Ordinal);
        Assert.Equal("theirs", await File.ReadAllTextAsync(Path.Combine(server.Root, "shared.txt")));
    }

    [Fact]
    public async Task Of_two_clients_writing_with_the_same_etag_exactly_one_wins()
    {
        await using var server = new TestFileServer();
        var uri = CoapUri.Parse(server.Uri("race.txt"));
        var etag = await WithClientAsync(files => files.WriteAsync(uri, "v1"u8.ToArray()));

        var outcomes = await Task.WhenAll(
            WithClientAsync(files => Outcome(files.WriteAsync(uri, "A"u8.ToArray(), ifMatch: etag))),
            WithClientAsync(files => Outcome(files.WriteAsync(uri, "B"u8.ToArray(), ifMatch: etag))));

        Assert.Equal(["4.12", "ok"], outcomes.Order(StringComparer.Ordinal));
        Assert.Contains(await File.ReadAllTextAsync(Path.Combine(server.Root, "race.txt")), new[] { "A", "B" });
    }

    private static async Task<string> Outcome(Task<FileETag?> write)
    {
        try
        {
            await write;
            return "ok";
        }
        catch (CoapFileException error)
        {
            return error.Code.ToString();
        }
    }

    [Fact]
    public async Task Create_only_refuses_an_existing_file()
    {
        await using var server = new TestFileServer();
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "there");

        var error = await WithClientAsync(files => Assert.ThrowsAsync<CoapFileException>(() => files.WriteAsync(CoapUri.Parse(server.Uri("a.txt")), "x"u8.ToArray(), ifNoneMatch: true)));

        Assert.Contains("the file already exists on the server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directories_are_created_once_and_deleted_with_everything_in_them()
    {
        await using var server = new TestFileServer();

        var (created, again, missing) = await WithClientAsync(async files =>
        {
            var created = await files.CreateDirectoryAsync(CoapUri.Parse(server.Uri("d")));
            var again = await files.CreateDirectoryAsync(CoapUri.Parse(server.Uri("d/")));
            await files.WriteAsync(CoapUri.Parse(server.Uri("d/f.txt")), "x"u8.ToArray());
            await files.DeleteAsync(CoapUri.Parse(server.Uri("d/")));
            var missing = await Assert.ThrowsAsync<CoapFileException>(() => files.DeleteAsync(CoapUri.Parse(server.Uri("d/"))));
            return (created, again, missing);
        });

        Assert.True(created);
        Assert.False(again);
        Assert.False(Directory.Exists(Path.Combine(server.Root, "d")));
        Assert.Equal(CoapCode.NotFound, missing.Code);
        Assert.Contains("no such file or directory on the server", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_read_as_a_file_names_the_fix()
    {
        await using var server = new TestFileServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "d"));

        var error = await WithClientAsync(files => Assert.ThrowsAsync<CoapFileException>(() => files.ReadAsync(CoapUri.Parse(server.Uri("d")), Stream.Null)));

        Assert.Equal(CoapCode.BadRequest, error.Code);
        Assert.Equal("is a directory; add a trailing slash", error.Diagnostic);
        Assert.Contains("is a directory; add a trailing slash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_server_refuses_writes_with_4_03()
    {
        await using var server = new TestFileServer();
        server.Resource.ReadOnly = true;

        var error = await WithClientAsync(files => Assert.ThrowsAsync<CoapFileException>(() => files.WriteAsync(CoapUri.Parse(server.Uri("x")), Encoding.UTF8.GetBytes("x"))));

        Assert.StartsWith("4.03 Forbidden: the server is read-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Child_uris_percent_encode_names_and_mark_directories()
    {
        var root = CoapUri.Parse("coap://h/files/");

        var file = RemotePath.Child(root, "a b/ü", isDirectory: false);
        var directory = RemotePath.Child(RemotePath.Child(root, "sub", isDirectory: true), "x", isDirectory: true);

        Assert.Equal(["files", "a b/ü"], file.PathSegments);
        Assert.Equal("coap://h/files/sub/x/", directory.ToString());
        Assert.True(RemotePath.IsDirectory(directory));
        Assert.Equal("x", RemotePath.Name(directory));
    }

    /// <summary>Records reports on the reporting thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class SyncProgress(List<TransferProgress> reports) : IProgress<TransferProgress>
    {
        /// <summary>Runs once, at the first report.</summary>
        public Action? OnFirst { get; set; }

        public void Report(TransferProgress value)
        {
            reports.Add(value);
            var first = OnFirst;
            OnFirst = null;
            first?.Invoke();
        }
    }
}
