using Coap.Engine.Blockwise;
using Coap.Engine.Client;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.FileServer.Tests;

/// <summary>
/// Q-Block (RFC 9177) at the file service: Q-Block2 blocks are read from the file at their offsets, never the whole
/// file; a Q-Block1 upload stopped half-way leaves the old file as it was and its temp file goes when the upload
/// expires, as with Block1.
/// </summary>
public sealed class QBlockTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new();
    private UdpModuleServer? _udp;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_udp is not null)
        {
            await _udp.DisposeAsync();
        }

        await _files.DisposeAsync();
    }

    [Fact]
    public void A_q_block2_set_at_the_end_of_a_1_GiB_file_is_read_from_its_offsets_not_the_whole_file()
    {
        const long length = (1L << 30) - 100;
        using (var sparse = File.Create(_files.InRoot("huge.bin")))
        {
            sparse.SetLength(length);
            sparse.Position = length - 1;
            sparse.WriteByte(0x5A);
        }

        var last = (int)(length / 1024);
        var request = _files.Request(CoapCode.Get, "huge.bin");
        request.Options.Add(new BlockValue(last - 9, true, 6).ToOption(OptionNumber.QBlock2));
        var before = GC.GetTotalAllocatedBytes(precise: true);

        _files.Server.Peer.Send(request);
        var set = Enumerable.Range(0, 10).Select(_ => _files.Server.Peer.Expect()).ToList();

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.All(set, m => Assert.Equal(CoapCode.Content, m.Code));
        Assert.Equal(Enumerable.Range(last - 9, 10), set.Select(m => FileServerFixture.BlockOf(m, OptionNumber.QBlock2).Number));
        Assert.False(FileServerFixture.BlockOf(set[^1], OptionNumber.QBlock2).More);
        Assert.Equal(924, set[^1].Payload.Length);
        Assert.Equal(0x5A, set[^1].Payload.Span[^1]);
        Assert.True(allocated < 64 << 20, $"serving 10 blocks allocated {allocated} bytes");
    }

    [Fact]
    public void A_q_block2_set_keeps_its_file_open_no_longer_than_itself()
    {
        var path = _files.InRoot("f.bin");
        var body = FileServerFixture.RandomBytes(10 * 1024);
        File.WriteAllBytes(path, body);
        var request = _files.Request(CoapCode.Get, "f.bin");
        request.Options.Add(new BlockValue(0, true, 6).ToOption(OptionNumber.QBlock2));

        _files.Server.Peer.Send(request);
        var set = Enumerable.Range(0, 10).Select(_ => _files.Server.Peer.Expect()).ToList();
        File.WriteAllBytes(path + ".new", FileServerFixture.RandomBytes(100));
        File.Move(path + ".new", path, overwrite: true);
        var after = _files.Get("f.bin");

        Assert.Equal(body, set.SelectMany(m => m.Payload.ToArray()));
        Assert.Single(set.Select(m => Convert.ToHexString(FileServerFixture.ETagOf(m))).Distinct());
        Assert.Equal(100, after.Payload.Length);
        Assert.DoesNotContain(OpenFiles(), target => target == path + " (deleted)");
    }

    [Fact]
    public async Task The_blocks_of_sets_of_64_and_of_listed_blocks_are_the_files_bytes_across_read_ahead_chunks()
    {
        var body = FileServerFixture.RandomBytes((100 * 1024) + 300);
        File.WriteAllBytes(_files.InRoot("f.bin"), body);
        await using var server = new ModuleServer([new FileServerModule()], _files.Settings, options: new CoapEndpointOptions { QBlock = new CoapQBlockOptions { MaxPayloads = 64 } });
        var received = new List<CoapMessage>();
        foreach (var (blocks, count) in new[] { ([new BlockValue(0, true, 6)], 64), ([new BlockValue(64, true, 6)], 37), (new[] { new BlockValue(100, false, 6), new BlockValue(40, false, 6), new BlockValue(41, false, 6), new BlockValue(2, false, 6) }, 4) })
        {
            var request = _files.Request(CoapCode.Get, "f.bin");
            foreach (var block in blocks)
            {
                request.Options.Add(block.ToOption(OptionNumber.QBlock2));
            }

            server.Peer.Send(request);
            received.AddRange(Enumerable.Range(0, count).Select(_ => server.Peer.Expect()));
        }

        server.Peer.ExpectNothing();
        Assert.All(received, m => Assert.Equal(CoapCode.Content, m.Code));
        Assert.Equal([.. Enumerable.Range(0, 101), 100, 40, 41, 2], received.Select(m => FileServerFixture.BlockOf(m, OptionNumber.QBlock2).Number));
        Assert.All(received, m =>
        {
            var offset = FileServerFixture.BlockOf(m, OptionNumber.QBlock2).Number * 1024;
            Assert.Equal(body.AsSpan(offset, Math.Min(1024, body.Length - offset)).ToArray(), m.Payload.ToArray());
        });
    }

    [Fact]
    public async Task A_q_block1_put_stopped_half_way_leaves_the_old_file_and_no_temp_file_after_exchange_lifetime()
    {
        var engineTime = new FakeTimeProvider();
        _udp = new UdpModuleServer(new FileServerModule(), _files.Settings, engineTime: engineTime);
        var target = _files.InRoot("f.bin");
        await File.WriteAllTextAsync(target, "old content");
        var body = FileServerFixture.RandomBytes(1 << 20);
        using var stop = new CancellationTokenSource();
        var half = new StopAt(body.Length / 2, stop);
        var remote = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _udp.Port);

        await using (var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) }))
        {
            var request = client.NewRequest(CoapCode.Put, body, ContentFormat.OctetStream);
            request.SetUriPathSegments(["files", "f.bin"]);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.SendAsync(request, remote, half, stop.Token).WaitAsync(TimeSpan.FromMinutes(1)));
            Assert.False(client.IsKnownWithoutQBlock(remote), "the upload did not go by Q-Block1");
        }

        Assert.True(half.Reached >= body.Length / 2, $"stopped at {half.Reached} bytes");
        await using (var reader = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) }))
        {
            // Answered after every block the stopped client had sent: the server has taken them all by now.
            var read = await reader.GetAsync(_udp.Uri("files/f.bin"));
            Assert.Equal("old content", System.Text.Encoding.UTF8.GetString(read.Payload.Span));
        }

        Assert.Single(_files.TempFiles());
        Assert.Equal("old content", await File.ReadAllTextAsync(target));

        engineTime.Advance(TimeSpan.FromSeconds(248));

        Assert.Empty(_files.TempFiles());
        Assert.Equal("old content", await File.ReadAllTextAsync(target));
    }

    /// <summary>What this process's file descriptors lead to.</summary>
    private static IEnumerable<string> OpenFiles() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Select(fd => fd.LinkTarget).OfType<string>();

    /// <summary>Cancels the transfer once the bytes done reach a mark, on the reporting thread.</summary>
    private sealed class StopAt(long mark, CancellationTokenSource stop) : IProgress<TransferProgress>
    {
        public long Reached { get; private set; }

        public void Report(TransferProgress value)
        {
            Reached = value.BytesDone;
            if (value.BytesDone >= mark)
            {
                stop.Cancel();
            }
        }
    }
}
