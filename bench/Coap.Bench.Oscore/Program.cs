using System.Diagnostics;
using System.Globalization;
using Coap.Engine.Client;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;

// Small GETs over OSCORE (RFC 8613) against plain CoAP, in the same run, through the engine's client.
//   dotnet bench/Coap.Bench.Oscore/bin/Release/net10.0/Coap.Bench.Oscore.dll coap://127.0.0.1:PORT/time CONTEXTDIR [-w 16] [-d 5]
// CONTEXTDIR: the client's context folder (settings.json in aiocoap's format); the server must have the matching one
// (CoapHost: --Coap:Oscore:Contexts:NAME=DIR). Three rounds, plain / OSCORE / plain, each for -d seconds: W clients
// (W source ports, the OSCORE ones sharing the one context and Sender ID), each with one CON GET outstanding, after one
// warm-up request each; prints rps and latency percentiles per round and the OSCORE/plain ratio.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Coap.Bench.Oscore coap://HOST:PORT/PATH CONTEXTDIR [-w W] [-d SEC]");
    return 2;
}

var uri = CoapUri.Parse(args[0]);
var window = Option("-w", 16);
var duration = TimeSpan.FromSeconds(Option("-d", 5));
using var folder = OscoreContextFolder.Open(args[1]);

var plainBefore = await RoundAsync("plain", null);
var oscore = await RoundAsync("oscore", folder.Context);
var plainAfter = await RoundAsync("plain", null);
Console.WriteLine($"oscore/plain={oscore / ((plainBefore + plainAfter) / 2):F2}");
return 0;

async Task<double> RoundAsync(string name, OscoreSecurityContext? context)
{
    var clients = await Task.WhenAll(Enumerable.Range(0, window).Select(async _ =>
    {
        var client = new CoapClient(new CoapClientOptions { Oscore = context });
        await client.SendAsync(client.NewRequest(CoapCode.Get, default, null), uri);
        return client;
    }));
    var latencies = new List<double>[window];
    var failures = 0L;
    var started = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, window).Select(i => Task.Run(async () =>
    {
        var mine = latencies[i] = [];
        var client = clients[i];
        while (started.Elapsed < duration)
        {
            var request = Stopwatch.GetTimestamp();
            try
            {
                var response = await client.SendAsync(client.NewRequest(CoapCode.Get, default, null), uri);
                if (response.Code == CoapCode.Content)
                {
                    mine.Add(Stopwatch.GetElapsedTime(request).TotalMicroseconds);
                }
                else if (Interlocked.Increment(ref failures) == 1)
                {
                    Console.Error.WriteLine($"{name}: first failure: {response.Code} {System.Text.Encoding.UTF8.GetString(response.Payload.Span)}");
                }
            }
            catch (CoapException error)
            {
                if (Interlocked.Increment(ref failures) == 1)
                {
                    Console.Error.WriteLine($"{name}: first failure: {error.Message}");
                }
            }
        }
    })));
    var elapsed = started.Elapsed.TotalSeconds;
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }

    var all = latencies.SelectMany(l => l).Order().ToArray();
    double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
    var rps = all.Length / elapsed;
    Console.WriteLine($"{name,-6} GET/s={rps:F1} p50_us={Percentile(0.50):F0} p99_us={Percentile(0.99):F0} ok={all.Length} failed={failures} window={window} secs={elapsed:F1}");
    return rps;
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
