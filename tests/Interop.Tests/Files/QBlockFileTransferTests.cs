using System.Net;
using System.Security.Cryptography;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Testing.Relay;
using Interop.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Services.FileServer.Client;

namespace Interop.Tests.Files;

/// <summary>
/// The file commands over a link like a real one (the impairment relay, 20 ms each way, 1 % loss): the file client
/// and `coap sync` read by Q-Block2 (RFC 9177) from the real file service, counted in the Q-Block2 responses they
/// receive; `--no-qblock` keeps them to RFC 7959; against libcoap 4.3.1's coap-server, which has no Q-Block, the file
/// client falls back to block-wise and completes.
/// </summary>
public sealed class QBlockFileTransferTests(FileHostFixture host) : IClassFixture<FileHostFixture>, IAsyncLifetime
{
    private const int Length = 1 << 20;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);
    private static readonly string Coap = Path.Combine(AppContext.BaseDirectory, "coap.dll");

    private ImpairmentRelay? _relay;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_1_MiB_read_over_a_lossy_40_ms_path_comes_by_q_block2_with_the_same_bytes()
    {
        var body = await PlaceAsync("qread", "one.bin", Length, seed: 19);
        var counter = new QBlock2Counter();
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(30) }, counter);
        var files = new CoapFileClient(client);
        using var destination = new MemoryStream();
        var progress = new LastProgress();

        var etag = await files.ReadAsync(RelayUri("qread/one.bin"), destination, progress).WaitAsync(Bound);

        Assert.Equal(SHA256.HashData(body), SHA256.HashData(destination.ToArray()));
        Assert.NotNull(etag);
        Assert.True(counter.Received >= (Length / 1024) - 1, $"{counter.Received} Q-Block2 responses received");
        Assert.Equal(Length, progress.Last.BytesDone);
        Assert.True(_relay!.Dropped > 0, "the relay dropped nothing");
    }

    [Fact]
    public async Task Sync_down_over_a_lossy_40_ms_path_reads_by_q_block2()
    {
        var body = await PlaceAsync("qsync", "big.bin", Length, seed: 20);
        var local = Path.Combine(host.Scratch, "qsync-down");

        var sync = await RunAsync("sync", "-v", "--timeout", "30", RelayUri("qsync/").ToString(), local);

        Assert.True(sync.ExitCode == 0, sync.StandardError[^Math.Min(2000, sync.StandardError.Length)..]);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(local, "big.bin"))));
        Assert.True(QBlock2Received(sync.StandardError) >= (Length / 1024) - 1, $"{QBlock2Received(sync.StandardError)} Q-Block2 responses received");
    }

    [Fact]
    public async Task No_qblock_keeps_cat_to_block_wise()
    {
        var text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i:D5}\n"));
        await PlaceAsync("qcat", "text.txt", Encoding.UTF8.GetBytes(text));

        var cat = await RunAsync("cat", "-v", "--no-qblock", RelayUri("qcat/text.txt", loss: 0).ToString());

        Assert.True(cat.ExitCode == 0, cat.StandardError);
        Assert.Equal(text, cat.StandardOutput);
        Assert.Equal(0, QBlock2Received(cat.StandardError));
        Assert.DoesNotContain("Q-Block2", cat.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_libcoap_4_3_1_without_q_block_the_file_client_falls_back_to_block_wise()
    {
        await using var server = await LibcoapServer.StartAsync();
        await using var uploader = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10), QBlock = new() { Enabled = false } });
        var body = new byte[256 * 1024];
        new Random(9177).NextBytes(body);
        Assert.True((await uploader.PutAsync(server.Uri("example_data"), body, ContentFormat.OctetStream)).Code.IsSuccess);
        var counter = new QBlock2Counter();
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) }, counter);
        using var destination = new MemoryStream();

        await new CoapFileClient(client).ReadAsync(CoapUri.Parse(server.Uri("example_data")), destination).WaitAsync(Bound);

        Assert.Equal(SHA256.HashData(body), SHA256.HashData(destination.ToArray()));
        Assert.True(client.IsKnownWithoutQBlock(new IPEndPoint(IPAddress.Loopback, server.Port)), "the client did not try Q-Block2, or libcoap accepted it");
        Assert.Equal(0, counter.Received);
    }

    private static Task<Coap.Testing.Programs.ProcessResult> RunAsync(params string[] args) => Tool.RunAsync("dotnet", [Coap, .. args], Bound);

    /// <summary>Responses with Q-Block2 in a --verbose trace ("&lt; " lines).</summary>
    private static int QBlock2Received(string trace) =>
        trace.Split('\n').Count(line => line.StartsWith("< ", StringComparison.Ordinal) && line.Contains("[Q-Block2:", StringComparison.Ordinal));

    private Task<byte[]> PlaceAsync(string directory, string name, int length, int seed)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return PlaceAsync(directory, name, body);
    }

    private async Task<byte[]> PlaceAsync(string directory, string name, byte[] body)
    {
        Directory.CreateDirectory(Path.Combine(host.Root, directory));
        await File.WriteAllBytesAsync(Path.Combine(host.Root, directory, name), body);
        return body;
    }

    /// <summary>A URI below the file service's /files/ through a relay of 20 ms each way and the given loss.</summary>
    private CoapUri RelayUri(string path, double loss = 0.01)
    {
        var server = CoapUri.Parse(host.BaseUri);
        _relay = ImpairmentRelay.Start(new IPEndPoint(IPAddress.Loopback, server.Port), TimeSpan.FromMilliseconds(20), loss, seed: 9177);
        return CoapUri.Parse($"coap://{_relay.Authority}/files/{path}");
    }

    /// <summary>Counts the blocks received by Q-Block2 (2.xx responses with the option), from the engine's log of every message received.</summary>
    private sealed class QBlock2Counter : ILogger
    {
        private int _received;

        public int Received => Volatile.Read(ref _received);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 2 && state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.Any(pair => pair.Value is CoapMessage { Code.IsSuccess: true } message && message.Options.Contains(OptionNumber.QBlock2)))
            {
                Interlocked.Increment(ref _received);
            }
        }
    }

    /// <summary>The last report, on the reporting thread.</summary>
    private sealed class LastProgress : IProgress<TransferProgress>
    {
        public TransferProgress Last { get; private set; }

        public void Report(TransferProgress value) => Last = value;
    }
}
