using System.Diagnostics;
using System.Formats.Cbor;
using System.Globalization;
using System.Text.RegularExpressions;
using Coap.Bench.Terminal;
using Coap.Engine.Client;
using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Services.Terminal;

// The terminal over loopback: keystroke-to-echo latency and bulk output throughput to an observer.
//   dotnet bench/Coap.Bench.Terminal/bin/Release/net10.0/Coap.Bench.Terminal.dll [KEYSTROKES=200] [MEGABYTES=20]
var keystrokes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var megabytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Modules:Terminal:Command"] = "/bin/sh",
    ["Modules:Terminal:ScrollbackBytes"] = (64 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
}).Build();
var module = new TerminalModule();
var services = new ServiceCollection();
services.AddLogging();
services.AddSingleton(TimeProvider.System);
module.ConfigureServices(services, configuration.GetSection("Modules:Terminal"));
await using var provider = services.BuildServiceProvider();
var options = Options.Create(new CoapServerOptions { Address = "127.0.0.1", Port = 0 });
await using var server = new CoapServer(options, new ResourceTree(), new ICoapModule[] { module }, provider, TimeProvider.System, NullLoggerFactory.Instance);
await server.StartAsync(CancellationToken.None);
var root = $"coap://127.0.0.1:{server.LocalEndPoints[0].Port}";

await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
var created = await client.PostAsync(root + "/term/", ReadOnlyMemory<byte>.Empty);
var session = root + created.GetLocationPath();
var follower = new OutputFollower(client, session);
using var stop = new CancellationTokenSource();
var following = follower.RunAsync(stop.Token);
long input = 0;

async Task TypeAsync(string text)
{
    var bytes = System.Text.Encoding.ASCII.GetBytes(text);
    var writer = new CborWriter();
    writer.WriteStartArray(2);
    writer.WriteUInt64((ulong)input);
    writer.WriteByteString(bytes);
    writer.WriteEndArray();
    var response = await client.PostAsync(session + "in", writer.Encode(), ContentFormat.Cbor);
    if (response.Code != CoapCode.Changed)
    {
        throw new InvalidOperationException("input refused: " + response.Code);
    }

    input += bytes.Length;
}

await TypeAsync("stty size\n");
await follower.WaitAsync(f => f.Tail(64).Contains("24 80", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

// Latency: one keystroke, then wait until its echo has been observed.
var latencies = new List<double>();
for (var i = 0; i < keystrokes; i++)
{
    var before = follower.Length;
    var clock = Stopwatch.StartNew();
    await TypeAsync("x");
    await follower.WaitAsync(f => f.Length > before, TimeSpan.FromSeconds(10));
    latencies.Add(clock.Elapsed.TotalMilliseconds);
    if (i % 60 == 59)
    {
        await TypeAsync("\u0015");
    }
}

await TypeAsync("\u0015");
latencies.Sort();
double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, Math.Floor(p * latencies.Count))];
Console.WriteLine($"keystroke to observed echo ({keystrokes} keystrokes): median {Percentile(0.5):F1} ms, p90 {Percentile(0.9):F1} ms, p99 {Percentile(0.99):F1} ms, max {latencies[^1]:F1} ms");

// Throughput: the shell writes MEGABYTES of 'a' and times itself; the observer must receive every byte.
var notificationsBefore = follower.Notifications;
var fetchesBefore = follower.Fetches;
var start = follower.Length;
var total = Stopwatch.StartNew();
await TypeAsync($"s=$(date +%s%N); head -c {megabytes * 1_000_000} /dev/zero | tr '\\0' a; e=$(date +%s%N); echo; echo took-$(( (e-s)/1000000 ))-ms\n");
await follower.WaitAsync(f => Regex.IsMatch(f.Tail(64), @"took-\d+-ms\r\n"), TimeSpan.FromMinutes(5));
total.Stop();
var producer = double.Parse(Regex.Match(follower.Tail(64), @"took-(\d+)-ms").Groups[1].Value, CultureInfo.InvariantCulture);
var received = follower.Length - start;
Console.WriteLine($"bulk output: {received / 1e6:F1} MB observed in {total.Elapsed.TotalSeconds:F2} s = {received / 1e6 / total.Elapsed.TotalSeconds:F1} MB/s "
    + $"(the shell wrote it in {producer / 1000:F2} s = {megabytes / (producer / 1000):F1} MB/s into the pty); "
    + $"{follower.Notifications - notificationsBefore} notifications, {follower.Fetches - fetchesBefore} gap FETCHes");

await stop.CancelAsync();
try
{
    await following;
}
catch (OperationCanceledException)
{
    // Stopped on purpose.
}

await client.DeleteAsync(session);
await server.StopAsync(CancellationToken.None);
