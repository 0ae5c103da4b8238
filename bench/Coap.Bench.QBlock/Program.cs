using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Coap.Engine.Blockwise;
using Coap.Engine.Client;
using Coap.Testing.Relay;
using Services.FileServer.Client;

// File PUT and GET throughput with Q-Block (RFC 9177) against plain block-wise (RFC 7959), through the engine's file
// client (what coap put/get/sync/mount use), on loopback and through the impairment relay of the tests.
//   dotnet bench/Coap.Bench.QBlock/bin/Release/net10.0/Coap.Bench.QBlock.dll coap://127.0.0.1:PORT/files/ [options]
// Options: --size BYTES (Q-Block body, 10 MiB), --plain-size BYTES (plain block-wise body through the relay, 256 KiB:
// one block per round trip makes 10 MiB take minutes there), --lossy-size BYTES (the 30 % loss body, 1 MiB),
// --delay MS (each way, 20), --bound SEC (per transfer, 300), --rows 0,4 (only those rows, numbered from 0 in the
// order below), --get-only (no PUT: the files are on the server from an earlier run against it), --repeat N (each GET
// N times in this process: the first with the client's code cold, the later ones warm), --max-window BLOCKS (the
// client's Coap:QBlock:MaxWindow). Each line also has this
// process's CPU time and bytes allocated during the transfer (client and, through the relay, the relay). Every row
// is a PUT then a GET of the same body, each checked by sha256; a transfer that has not finished within the bound is
// cut and reported completed=no (a PUT cut so is made again straight to the server, so that the GET has its file).
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Coap.Bench.QBlock coap://HOST:PORT/files/ [--size B] [--plain-size B] [--lossy-size B] [--delay MS] [--bound SEC] [--rows N,M] [--get-only] [--repeat N] [--max-window BLOCKS]");
    return 2;
}

var baseUri = CoapUri.Parse(args[0]);
var size = Option("--size", 10 << 20);
var plainSize = Option("--plain-size", 256 << 10);
var lossySize = Option("--lossy-size", 1 << 20);
var delay = TimeSpan.FromMilliseconds(Option("--delay", 20));
var bound = TimeSpan.FromSeconds(Option("--bound", 300));
var only = Array.IndexOf(args, "--rows") is var at and >= 0 && at + 1 < args.Length
    ? args[at + 1].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToHashSet()
    : null;
var getOnly = args.Contains("--get-only");
var repeat = Option("--repeat", 1);
var maxWindow = Option("--max-window", new CoapQBlockOptions().MaxWindow);
var server = await CoapClient.ResolveAsync(baseUri);

// Loss -1: no relay, straight to the server on loopback.
var rows = new (double Loss, bool QBlock, int Size)[]
{
    (-1, true, size),
    (-1, false, size),
    (0, true, size),
    (0, false, plainSize),
    (0.01, true, size),
    (0.01, false, plainSize),
    (0.30, true, lossySize),
};

var failed = false;
var row = 0;
foreach (var (loss, qblock, length) in rows)
{
    if (only is not null && !only.Contains(row))
    {
        row++;
        continue;
    }

    var body = new byte[length];
    new Random(length).NextBytes(body);
    var relay = loss < 0 ? null : ImpairmentRelay.Start(server, delay, loss, seed: 9177);
    await using (relay)
    {
        var target = relay?.EndPoint ?? server;
        var name = $"bench-{row++}.bin";
        var uri = FileAt(target, name);
        var client = new CoapClient(new CoapClientOptions { QBlock = new() { Enabled = qblock, MaxWindow = maxWindow } });
        await using (client)
        {
            var files = new CoapFileClient(client);
            var where = relay is null ? "loopback" : $"relay {delay.TotalMilliseconds:0}ms/{loss:P0}";
            var put = getOnly || await MeasureAsync(where, qblock, "PUT", length, async (progress, token) =>
            {
                await files.WriteAsync(uri, body, progress: progress, cancellationToken: token);
                return true;
            });
            if (!put && relay is not null)
            {
                // The GET still gets its file: put straight to the server, past the relay.
                await using var direct = new CoapClient();
                await new CoapFileClient(direct).WriteAsync(FileAt(server, name), body);
            }

            failed |= !put;
            for (var get = 0; get < repeat; get++)
            {
                failed |= !await MeasureAsync(where, qblock, "GET", length, async (progress, token) =>
                {
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    await files.ReadAsync(uri, new HashingStream(hash), progress, token);
                    return hash.GetHashAndReset().AsSpan().SequenceEqual(SHA256.HashData(body));
                });
            }
            if (relay is not null)
            {
                Console.WriteLine($"  relay dropped={relay.Dropped} forwarded={relay.Forwarded}");
            }
        }
    }
}

return failed ? 1 : 0;

async Task<bool> MeasureAsync(string where, bool qblock, string method, int length, Func<IProgress<TransferProgress>, CancellationToken, Task<bool>> transfer)
{
    using var limit = new CancellationTokenSource(bound);
    var progress = new LastProgress();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = Environment.CpuUsage.TotalTime;
    var watch = Stopwatch.StartNew();
    bool match;
    string outcome;
    try
    {
        match = await transfer(progress, limit.Token);
        outcome = "completed=yes";
    }
    catch (Exception error)
    {
        match = false;
        outcome = $"completed=no ({error.GetType().Name}: {error.Message})";
    }

    var seconds = watch.Elapsed.TotalSeconds;
    var cpuSeconds = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
    allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{where,-17} {(qblock ? "q-block" : "plain"),-8} {method} bytes={length} secs={seconds:F2} MBps={(match ? length / seconds / 1e6 : 0):F3} asked_again={progress.Last.Retransmissions} match={(match ? "yes" : "no")} client_cpu_s={cpuSeconds:F2} client_alloc_MB={allocated / 1e6:F1} {outcome}"));
    return match;
}

CoapUri FileAt(IPEndPoint target, string name) => CoapUri.Parse(
    $"coap://{target.Address}:{target.Port.ToString(CultureInfo.InvariantCulture)}/{string.Join('/', baseUri.PathSegments.Where(s => s.Length > 0).Select(Uri.EscapeDataString))}/{name}");

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>The last progress report, taken on the reporting thread.</summary>
internal sealed class LastProgress : IProgress<TransferProgress>
{
    public TransferProgress Last { get; private set; }

    public void Report(TransferProgress value) => Last = value;
}

/// <summary>A write-only stream that hashes what is written to it, so a GET's bytes are checked without being kept.</summary>
internal sealed class HashingStream(IncrementalHash hash) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        hash.AppendData(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
