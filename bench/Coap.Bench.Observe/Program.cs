using System.Diagnostics;
using System.Globalization;
using Coap.Bench.Observe;
using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Observe fan-out: SOCKETS client sockets × TOKENS observations each on one resource of the engine, over loopback.
//   dotnet bench/Coap.Bench.Observe/bin/Release/net10.0/Coap.Bench.Observe.dll [SOCKETS] [TOKENS] [SECONDS]
// Or the resident memory of another server process as observers register with it (ExternalObservers.cs):
//   dotnet …/Coap.Bench.Observe.dll --external coap://127.0.0.1:PORT/time PID N1,N2,… [TOKENS] [--query-per-token]
if (args.Length > 0 && args[0] == "--external")
{
    return await ExternalObservers.RunAsync(args[1..]);
}

var sockets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var tokens = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var observers = sockets * tokens;

var counter = new CounterResource();
var tree = new ResourceTree();
tree.Map("counter", counter, new ResourceMetadata { Observable = true, ContentFormats = [0] });
var options = Options.Create(new CoapServerOptions { Address = "127.0.0.1", Port = 0 });
await using var server = new CoapServer(options, tree, Array.Empty<ICoapModule>(), EmptyServices.Instance, TimeProvider.System, NullLoggerFactory.Instance);
await server.StartAsync(CancellationToken.None);
var endPoint = server.LocalEndPoints[0];

var clients = new ObserverSocket[sockets];
for (var i = 0; i < sockets; i++)
{
    clients[i] = new ObserverSocket(endPoint);
}

using var stop = new CancellationTokenSource();
var receivers = new Task[sockets];
for (var i = 0; i < sockets; i++)
{
    receivers[i] = clients[i].ReceiveAsync(stop.Token);
}

// Memory: the same GETs without Observe first, to learn what the deduplication table keeps per request (the reply,
// for EXCHANGE_LIFETIME); the registrations cost that plus the observer. After the fan-out the figure includes the
// observer's entry for its last NON notification's message ID.
var m0 = GC.GetTotalMemory(forceFullCollection: true);
for (var i = 0; i < sockets; i++)
{
    clients[i].Send(i, tokens, observe: null);
}

await WaitFor(() => Responses(clients) >= observers);
var m1 = GC.GetTotalMemory(forceFullCollection: true);
var registering = Stopwatch.StartNew();
for (var i = 0; i < sockets; i++)
{
    clients[i].Send(i, tokens, observe: 0);
}

await WaitFor(() => counter.Observers.Count >= observers);
registering.Stop();
var m2 = GC.GetTotalMemory(forceFullCollection: true);
var registered = counter.Observers.Count;
Console.WriteLine($"observers registered: {registered} of {observers} in {registering.Elapsed.TotalMilliseconds:F0} ms");
var dedup = (m1 - m0) / (double)observers;
Console.WriteLine($"memory per request kept for deduplication: {dedup:F0} B");
Console.WriteLine($"memory per observer: {((m2 - m1) / (double)registered) - dedup:F0} B (registration minus its deduplication entry)");

// One change first: it grows the stage's table of NON message IDs to its working size.
counter.Increment();
await Task.Delay(200);
var receivedBefore = Sum(clients);
var rendersBefore = counter.Renders;
var changes = 0;
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
var fanOut = Stopwatch.StartNew();
while (fanOut.Elapsed.TotalSeconds < seconds)
{
    counter.Increment();
    changes++;
}

fanOut.Stop();
var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
await Task.Delay(500);
var delivered = Sum(clients) - receivedBefore;
var sent = (long)changes * registered;
Console.WriteLine($"changes: {changes} in {fanOut.Elapsed.TotalSeconds:F1} s, renders: {counter.Renders - rendersBefore}");
Console.WriteLine($"allocated on the notifying thread: {allocated / (double)changes:F0} B per change, {allocated / (double)Math.Max(1, (long)changes * registered):F2} B per notification");
Console.WriteLine($"notifications sent: {sent / fanOut.Elapsed.TotalSeconds:F0}/s, delivered: {delivered / fanOut.Elapsed.TotalSeconds:F0}/s ({100.0 * delivered / Math.Max(1, sent):F1} % of sent)");

var m3 = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"memory per observer after notifications: {((m3 - m1) / (double)registered) - dedup:F0} B (with its last NON message ID entry)");

await stop.CancelAsync();
await Task.WhenAll(receivers);
foreach (var client in clients)
{
    client.Dispose();
}

await server.StopAsync(CancellationToken.None);
return 0;

static async Task WaitFor(Func<bool> condition)
{
    var waited = Stopwatch.StartNew();
    while (!condition() && waited.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(10);
    }
}

static long Responses(ObserverSocket[] clients)
{
    long total = 0;
    foreach (var client in clients)
    {
        total += client.Responses;
    }

    return total;
}

static long Sum(ObserverSocket[] clients)
{
    long total = 0;
    foreach (var client in clients)
    {
        total += client.Notifications;
    }

    return total;
}
