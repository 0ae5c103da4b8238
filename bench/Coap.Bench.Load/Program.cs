using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coap.Bench.Load;
using Coap.Engine.Protocol;

var options = LoadOptions.Parse(args, out var error);
if (options is null)
{
    if (!string.IsNullOrEmpty(error))
    {
        Console.Error.WriteLine(error);
    }

    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

var frequency = Stopwatch.Frequency;
var start = Stopwatch.GetTimestamp();
var measureStart = start + (long)(options.WarmupSeconds * frequency);
var measureEnd = measureStart + (long)(options.DurationSeconds * frequency);

var window = new MeasurementWindow(measureStart, measureEnd);
var workers = new LoadWorker[options.Threads];
var threads = new Thread[options.Threads];
for (var t = 0; t < options.Threads; t++)
{
    // Slots are spread round-robin over the sockets, as coapload does (slot i belongs to socket i % C), and the
    // sockets round-robin over the threads (socket k belongs to thread k % T).
    var slotCounts = new List<int>();
    for (var k = t; k < options.Clients; k += options.Threads)
    {
        slotCounts.Add((options.Window / options.Clients) + (k < options.Window % options.Clients ? 1 : 0));
    }

    workers[t] = new LoadWorker(options, [.. slotCounts], window);
    threads[t] = new Thread(workers[t].Run) { IsBackground = true, Name = $"coap-load-{t}" };
}

foreach (var thread in threads)
{
    thread.Start();
}

var self = Process.GetCurrentProcess();
SleepUntil(measureStart);
self.Refresh();
var generatorCpuStart = self.TotalProcessorTime;
var serverCpuStart = options.ServerPid is { } pid1 ? ServerCpu.ReadSeconds(pid1) : null;
var allocatedStart = GC.GetTotalAllocatedBytes(precise: true);
SleepUntil(measureEnd);
var allocatedInWindow = GC.GetTotalAllocatedBytes(precise: true) - allocatedStart;
self.Refresh();
var generatorCpuEnd = self.TotalProcessorTime;
var serverCpuEnd = options.ServerPid is { } pid2 ? ServerCpu.ReadSeconds(pid2) : null;

foreach (var thread in threads)
{
    thread.Join();
}

var total = new LoadStats();
foreach (var worker in workers)
{
    if (worker.Failure is { } failure)
    {
        Console.Error.WriteLine($"worker failed: {failure.Message}");
        return 1;
    }

    total.Add(worker.Stats);
}

var seconds = (double)(measureEnd - measureStart) / frequency;
var rps = total.Ok / seconds;
var generatorCpu = 100 * (generatorCpuEnd - generatorCpuStart).TotalSeconds / seconds;
var serverCpu = serverCpuStart is { } s0 && serverCpuEnd is { } s1 ? 100 * (s1 - s0) / seconds : 0;
var codes = new StringBuilder();
for (var code = 0; code < total.Codes.Length; code++)
{
    if (total.Codes[code] > 0)
    {
        codes.Append(codes.Length > 0 ? "," : string.Empty).Append(new CoapCode((byte)code)).Append(':').Append(total.Codes[code]);
    }
}

var latency = total.Latency;
var inv = CultureInfo.InvariantCulture;
if (!options.Quiet)
{
    Console.WriteLine(string.Create(inv, $"target      coap://{options.Target}{options.Path}{options.Query}  {(options.NonConfirmable ? "NON" : "CON")} window={options.Window} clients={options.Clients} threads={options.Threads} tkl={options.TokenLength}"));
    Console.WriteLine(string.Create(inv, $"latency us  p50 {latency.ValueAt(0.5) / 10.0:F1}  p90 {latency.ValueAt(0.9) / 10.0:F1}  p99 {latency.ValueAt(0.99) / 10.0:F1}  max {latency.Max / 10.0:F1}"));
    Console.WriteLine(string.Create(inv, $"messages    empty-acks-recv={total.EmptyAcks} acks-sent(separate)={total.SeparateAcksSent} unmatched={total.Unmatched} malformed={total.Malformed} sockerr={total.SocketErrors} socket-rotations={total.Rotations}"));
    Console.WriteLine(string.Create(inv, $"allocated   {allocatedInWindow} bytes in the measurement window (all threads)"));
}

Console.WriteLine(string.Create(
    inv,
    $"rps={rps:F1} p50_us={latency.ValueAt(0.5) / 10.0:F1} p90_us={latency.ValueAt(0.9) / 10.0:F1} p99_us={latency.ValueAt(0.99) / 10.0:F1} max_us={latency.Max / 10.0:F1} ok={total.Ok} err={total.Errors} timeouts={total.Timeouts} rst={total.Resets} non2xx={total.NonSuccess} secs={seconds:F3} window={options.Window} clients={options.Clients} gen_cpu_pct={generatorCpu:F0} srv_cpu_pct={serverCpu:F0} codes={codes}"));
return total.Ok > 0 && total.Errors == 0 ? 0 : 1;

static void SleepUntil(long timestamp)
{
    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
    if (remaining > TimeSpan.Zero)
    {
        Thread.Sleep(remaining);
    }
}
