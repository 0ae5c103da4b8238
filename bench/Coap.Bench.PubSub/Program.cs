using System.Diagnostics;
using System.Formats.Cbor;
using System.Globalization;
using Coap.Bench.PubSub;
using Coap.Engine.Client;
using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Services.PubSub;

// Pub-sub fan-out: the broker module on the engine over loopback; SOCKETS client sockets × TOKENS subscriptions each
// to one topic and one publisher, first in lockstep (each value reaches every subscriber before the next), then as
// fast as the broker answers, SECONDS each. With redis=CONFIGURATION, HOSTS brokers in this process share that Redis
// (Modules:PubSub:Store = Redis); the publisher uses the first, the subscriber sockets are spread over all of them.
//   dotnet bench/Coap.Bench.PubSub/bin/Release/net10.0/Coap.Bench.PubSub.dll [SOCKETS] [TOKENS] [SECONDS] [persist|redis=127.0.0.1:6379] [HOSTS]
var sockets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var tokens = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5;
var persist = args.Length > 3 && args[3] == "persist";
var redis = args.Length > 3 && args[3].StartsWith("redis=", StringComparison.Ordinal) ? args[3]["redis=".Length..] : null;
var hostCount = redis is not null && args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
var subscribers = sockets * tokens;
var state = persist ? Directory.CreateTempSubdirectory("coap-bench-pubsub-").FullName : string.Empty;
var prefix = $"bench-{Guid.NewGuid():N}:";

var hosts = new List<(CoapServer Server, ServiceProvider Provider)>();
for (var h = 0; h < hostCount; h++)
{
    hosts.Add(await StartHost());
}

var server = hosts[0].Server;
var endPoint = server.LocalEndPoints[0];
var broker = $"coap://127.0.0.1:{endPoint.Port.ToString(CultureInfo.InvariantCulture)}";

// The topic, created and first published over CoAP as any client would.
await using var setup = new CoapClient();
var map = new CborWriter();
map.WriteStartMap(2);
map.WriteInt32(0);
map.WriteTextString("bench");
map.WriteInt32(2);
map.WriteTextString("core.ps.data");
map.WriteEndMap();
var created = await setup.PostAsync(broker + "/ps", map.Encode(), 606);
var reader = new CborReader(created.Payload);
reader.ReadStartMap();
reader.ReadInt32();
reader.ReadTextString();
reader.ReadInt32();
var dataPath = reader.ReadTextString().Split('/');
using var publisher = new Publisher(endPoint, dataPath);
publisher.Publish();

// Every other host must have heard of the topic and its value before its subscribers register.
foreach (var (other, _) in hosts.Skip(1))
{
    var uri = $"coap://127.0.0.1:{other.LocalEndPoints[0].Port.ToString(CultureInfo.InvariantCulture)}/{string.Join('/', dataPath)}";
    while ((await setup.GetAsync(uri)).Code != CoapCode.Content)
    {
        await Task.Delay(10);
    }
}

var clients = new SubscriberSocket[sockets];
var samplesPerSocket = Math.Max(1000, 4_000_000 / sockets);
for (var i = 0; i < sockets; i++)
{
    clients[i] = new SubscriberSocket(hosts[i % hosts.Count].Server.LocalEndPoints[0], samplesPerSocket);
}

using var stop = new CancellationTokenSource();
var receivers = clients.Select(c => c.ReceiveAsync(stop.Token)).ToArray();

// Memory: the same GETs without Observe first, to learn what the deduplication table keeps per request; the
// subscriptions cost that plus the observer.
var m0 = GC.GetTotalMemory(forceFullCollection: true);
for (var i = 0; i < sockets; i++)
{
    clients[i].Send(dataPath, i, tokens, observe: null);
}

await WaitFor(() => clients.Sum(c => c.Responses) >= subscribers);
var m1 = GC.GetTotalMemory(forceFullCollection: true);
var registering = Stopwatch.StartNew();
for (var i = 0; i < sockets; i++)
{
    clients[i].Send(dataPath, i, tokens, observe: 0);
}

await WaitFor(() => clients.Sum(c => c.Responses) >= 2L * subscribers);
registering.Stop();
var m2 = GC.GetTotalMemory(forceFullCollection: true);
var dedup = (m1 - m0) / (double)subscribers;
var store = redis is not null ? $", {hosts.Count} host(s) on Redis {redis}" : persist ? ", state persisted (fsync per publication)" : ", state in memory";
Console.WriteLine($"subscribers: {subscribers} ({sockets} sockets x {tokens}), registered in {registering.Elapsed.TotalMilliseconds:F0} ms{store}");
Console.WriteLine($"memory per subscriber: {((m2 - m1) / (double)subscribers) - dedup:F0} B (plus {dedup:F0} B per request in the deduplication table for EXCHANGE_LIFETIME)");

// Warm-up, then the measured run.
for (var i = 0; i < 50; i++)
{
    publisher.Publish();
}

await Task.Delay(300);
foreach (var client in clients)
{
    client.ResetSamples();
}

// Lockstep: publish, wait until every subscriber has the value, publish the next. Publications/s here are values
// that reached all N subscribers; the latencies are those of an unloaded broker.
var deliveredBefore = clients.Sum(c => c.Notifications);
var publications = 0;
var lost = 0;
var run = Stopwatch.StartNew();
while (run.Elapsed.TotalSeconds < seconds)
{
    Publish(publisher);
    publications++;
    var target = deliveredBefore + ((long)publications * subscribers) - ((long)lost * subscribers);
    var waited = Stopwatch.StartNew();
    while (clients.Sum(c => c.Notifications) < target)
    {
        if (waited.Elapsed > TimeSpan.FromSeconds(2))
        {
            // A datagram dropped on loopback (full receive buffer): count the publication as not delivered to all.
            lost++;
            deliveredBefore = clients.Sum(c => c.Notifications) - ((long)(publications - lost) * subscribers);
            break;
        }

        Thread.Yield();
    }
}

run.Stop();
var latencies = clients.SelectMany(c => c.Latencies.ToArray()).Order().ToArray();
Console.WriteLine($"lockstep: {publications / run.Elapsed.TotalSeconds:F0} publications/s, each delivered to all {subscribers} subscribers before the next ({publications} in {run.Elapsed.TotalSeconds:F1} s, {lost} not complete within 2 s)");
Console.WriteLine($"  = {(long)publications * subscribers / run.Elapsed.TotalSeconds:F0} notifications/s; end-to-end latency (PUT sent -> notification received): p50 {Ms(Percentile(latencies, 0.50))} ms, p99 {Ms(Percentile(latencies, 0.99))} ms ({latencies.Length} samples)");

// Flood: the publisher PUTs as fast as the broker answers; renders fold publications that arrive during a fan-out,
// so subscribers see the latest values rather than every one.
await Task.Delay(500);
var floodBefore = clients.Sum(c => c.Notifications);
var flooded = 0;
var flood = Stopwatch.StartNew();
while (flood.Elapsed.TotalSeconds < seconds)
{
    Publish(publisher);
    flooded++;
}

flood.Stop();
await Task.Delay(1000);
var floodDelivered = clients.Sum(c => c.Notifications) - floodBefore;
Console.WriteLine($"flood: {flooded / flood.Elapsed.TotalSeconds:F0} publications/s accepted (2.04), {floodDelivered / flood.Elapsed.TotalSeconds:F0} notifications/s delivered = {floodDelivered / (double)Math.Max(1, flooded):F2} per publication across {subscribers} subscribers");

await stop.CancelAsync();
await Task.WhenAll(receivers);
foreach (var client in clients)
{
    client.Dispose();
}

foreach (var (host, provider) in hosts)
{
    await host.StopAsync(CancellationToken.None);
    await host.DisposeAsync();
    await provider.DisposeAsync();
}

if (persist)
{
    Directory.Delete(state, recursive: true);
}

async Task<(CoapServer, ServiceProvider)> StartHost()
{
    var settings = new Dictionary<string, string?>
    {
        ["Modules:PubSub:StateDirectory"] = state,
        ["Modules:PubSub:MaxSubscribers"] = Math.Max(subscribers, 1).ToString(CultureInfo.InvariantCulture),
    };
    if (redis is not null)
    {
        settings["Modules:PubSub:Store"] = "Redis";
        settings["Modules:PubSub:Redis:Configuration"] = redis;
        settings["Modules:PubSub:Redis:KeyPrefix"] = prefix;
    }

    var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    var services = new ServiceCollection();
    services.AddSingleton(TimeProvider.System);
    services.AddLogging();
    var module = new PubSubModule();
    module.ConfigureServices(services, configuration.GetSection("Modules:PubSub"));
    var provider = services.BuildServiceProvider();
    var options = Options.Create(new CoapServerOptions { Address = "127.0.0.1", Port = 0 });
    var host = new CoapServer(options, new ResourceTree(), [module], provider, TimeProvider.System, NullLoggerFactory.Instance);
    await host.StartAsync(CancellationToken.None);
    return (host, provider);
}

static long Percentile(long[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static void Publish(Publisher publisher)
{
    if (publisher.Publish() is var code && code != CoapCode.Changed)
    {
        throw new InvalidOperationException($"publication answered {code}");
    }
}

static string Ms(long ticks) => (ticks * 1000.0 / Stopwatch.Frequency).ToString("F3", CultureInfo.InvariantCulture);

static async Task WaitFor(Func<bool> condition)
{
    var waited = Stopwatch.StartNew();
    while (!condition() && waited.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(10);
    }
}
