using System.Globalization;
using System.Net.Sockets;
using Coap.Bench.Doc;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using CoapHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Services.Doc.Dns;

// DoC against plain DNS to the same dnsmasq: rate and latency for cached names, uncached names and UDP DNS.
// Usage: dotnet run -c Release --project bench/Coap.Bench.Doc -- [queries per mode, default 5000] [concurrency, default 8]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;

using var dnsmasq = new LoopbackDnsmasq();
using var host = CoapHostApplication.Build(
[
    "--Coap:Address=127.0.0.1", "--Coap:Port=0", $"--Modules:Doc:Upstreams:0={dnsmasq.EndPoint}",
    "--Modules:Doc:CacheEntries=1000000", "--Logging:LogLevel:Default=Warning",
]);
await host.StartAsync();
var uri = $"coap://127.0.0.1:{host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port}/dns";

var plain = await Measurement.RunAsync("plain UDP DNS", count, concurrency, _ =>
{
    var socket = new Socket(dnsmasq.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
    socket.Connect(dnsmasq.EndPoint);
    var buffer = new byte[512];
    return async i =>
    {
        await socket.SendAsync(DnsMessage.Query((ushort)i, $"p{i}.bench.test", DnsType.A).ToArray());
        await socket.ReceiveAsync(buffer);
    };
});

var clients = Enumerable.Range(0, concurrency).Select(_ => new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) })).ToArray();
Func<int, Func<int, Task>> doc(Func<int, string> name) => w => async i =>
{
    var response = await clients[w].FetchAsync(uri, DnsMessage.Query(0, name(i), DnsType.A).ToArray(), ContentFormat.DnsMessage);
    if (response.Code != CoapCode.Content || DnsMessage.Parse(response.Payload.Span).Answers.Count != 1)
    {
        throw new InvalidOperationException($"unexpected answer {response}");
    }
};

var uncached = await Measurement.RunAsync("DoC, uncached names", count, concurrency, doc(i => $"u{i}.bench.test"));
await clients[0].FetchAsync(uri, DnsMessage.Query(0, "cached.bench.test", DnsType.A).ToArray(), ContentFormat.DnsMessage);
var cached = await Measurement.RunAsync("DoC, cached name", count, concurrency, doc(_ => "cached.bench.test"));

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} queries per mode, {concurrency} concurrent, loopback, dnsmasq upstream\n"));
Console.WriteLine("| mode | queries/s | p50 ms | p99 ms | rate vs plain DNS |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var measurement in new[] { plain, uncached, cached })
{
    Console.WriteLine(measurement.Row(plain));
}

foreach (var client in clients)
{
    await client.DisposeAsync();
}

await host.StopAsync();
