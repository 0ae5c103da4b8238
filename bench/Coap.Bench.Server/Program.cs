using System.Runtime.InteropServices;
using Coap.Bench.Server;
using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// The engine with libcoap's example resources /time (small GET) and /example_data (10 MiB, GET and PUT, for
// block-wise transfers), to compare with libcoap's example server under the same load:
//   dotnet bench/Coap.Bench.Server/bin/Release/net10.0/Coap.Bench.Server.dll PORT
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5683;
var tree = new ResourceTree();
tree.Map("time", new TimeTextResource(), new ResourceMetadata { ContentFormats = [0] });
tree.Map("example_data", new ExampleDataResource());
var options = Options.Create(new CoapServerOptions { Address = "127.0.0.1", Port = port });
await using var server = new CoapServer(options, tree, Array.Empty<ICoapModule>(), EmptyServices.Instance, TimeProvider.System, NullLoggerFactory.Instance);
await server.StartAsync(CancellationToken.None);
Console.WriteLine($"listening on {string.Join(", ", server.LocalEndPoints)}");
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

ReportGarbageCollection();

// What the garbage collector cost this run, printed to stderr when the server is stopped (SIGINT or SIGTERM).
static void ReportGarbageCollection()
{
    var lastFull = GC.GetGCMemoryInfo(GCKind.FullBlocking);
    var lastFullPause = lastFull.PauseDurations.Length > 0 ? lastFull.PauseDurations[0].TotalMilliseconds : 0;
    Console.Error.WriteLine(
        $"gc: gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, " +
        $"total pause {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms, last full blocking pause {lastFullPause:0} ms, " +
        $"heap {GC.GetTotalMemory(false) >> 20} MiB");
}
