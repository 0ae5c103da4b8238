using System.Diagnostics;
using System.Globalization;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Transport.Dtls;

// Small GETs over DTLS 1.2 with a pre-shared key, through the engine's client, against any coaps server.
//   dotnet bench/Coap.Bench.Dtls/bin/Release/net10.0/Coap.Bench.Dtls.dll coaps://127.0.0.1:PORT/time IDENTITY KEY [-w 16] [-d 10] [--handshakes]
// Requests: W clients (W sessions, W source ports), each with one CON GET outstanding, for -d seconds after one
// warm-up request each; prints rps and latency percentiles. --handshakes: W threads each make a session, GET once and
// close it (close_notify), again and again: full handshakes per second.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: Coap.Bench.Dtls coaps://HOST:PORT/PATH IDENTITY KEY [-w W] [-d SEC] [--handshakes]");
    return 2;
}

var uri = CoapUri.Parse(args[0]);
var credentials = new PskCredentials(args[1], PskKeyText.Parse(args[2]));
var window = Option("-w", 16);
var seconds = Option("-d", 10);
var handshakes = args.Contains("--handshakes");
var duration = TimeSpan.FromSeconds(seconds);

var latencies = new List<double>[window];
var failures = 0L;
var clients = handshakes ? new CoapClient?[window] : await Task.WhenAll(Enumerable.Range(0, window).Select(_ => Connected()));
var started = Stopwatch.StartNew();
var workers = Enumerable.Range(0, window).Select(i => Task.Run(async () =>
{
    var mine = latencies[i] = [];
    var client = clients[i];
    try
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var request = Stopwatch.GetTimestamp();
            try
            {
                if (handshakes)
                {
                    await using var once = await Connected();
                }
                else
                {
                    var response = await client!.SendAsync(client.NewRequest(CoapCode.Get, default, null), uri);
                    if (response.Code != CoapCode.Content)
                    {
                        Interlocked.Increment(ref failures);
                        continue;
                    }
                }

                mine.Add(Stopwatch.GetElapsedTime(request).TotalMicroseconds);
            }
            catch (CoapException)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }
    finally
    {
        if (client is not null)
        {
            await client.DisposeAsync();
        }
    }
})).ToArray();
await Task.WhenAll(workers);
var elapsed = started.Elapsed.TotalSeconds;

var all = latencies.SelectMany(l => l).Order().ToArray();
var what = handshakes ? "handshake+GET+close" : "GET";
Console.WriteLine(
    $"{what}/s={all.Length / elapsed:F1} p50_us={Percentile(0.50):F0} p99_us={Percentile(0.99):F0} ok={all.Length} failed={failures} " +
    $"window={window} secs={elapsed:F1}");
return 0;

// One client with a session: a GET first, so the handshake is not measured with the requests.
async Task<CoapClient> Connected()
{
    var client = new CoapClient(new CoapClientOptions { Psk = credentials });
    await client.SendAsync(client.NewRequest(CoapCode.Get, default, null), uri);
    return client;
}

double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
