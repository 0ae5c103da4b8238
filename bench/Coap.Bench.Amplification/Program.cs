using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Coap.Bench.Amplification;
using Coap.Bench.Fuzz;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Fuzzing;

// Bytes the real host sends to a source address that never proves it receives (a spoofed one), divided by the bytes
// of the requests that named it: per kind of request, once with the host as shipped but loopback treated as any other
// address (Coap:LoopbackPeersVerified=false, so the Echo guard applies), once with loopback verified (no guard, as
// before RFC 9175 was implemented), for comparison.
// Usage: dotnet bench/Coap.Bench.Amplification/bin/Release/net10.0/Coap.Bench.Amplification.dll [--observe-window SEC=5]
var observeWindow = TimeSpan.FromSeconds(Option("--observe-window", 5));
var replyWindow = TimeSpan.FromSeconds(1);
var publication = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("temperature 21.5 °C, humidity 40 %; ", 20)));
var query = DnsQueries.Build(0, "big.example", 1);
var getQuery = "dns=" + DnsQueries.ToBase64Url(query);

var scenarios = new (string Name, bool Observe, Func<CoapMessage[]> Requests)[]
{
    ("GET /time", false, () => [Get("time")]),
    ($"/time observe (GET Observe 0), {observeWindow.TotalSeconds} s", true, () => [Get("time", observe: 0)]),
    ($"/time observe, NON, {observeWindow.TotalSeconds} s", true, () => [Get("time", observe: 0, type: CoapMessageType.NonConfirmable)]),
    ("discovery GET /.well-known/core", false, () => [Get(".well-known/core")]),
    ("discovery, Block2 NUM=1 SZX=2 (64 B)", false, () => [Get(".well-known/core", block2: new BlockValue(1, false, 2))]),
    ("DoC FETCH /dns (60 A records)", false, () => [Dns(CoapCode.Fetch)]),
    ("DoC GET /dns?dns=…", false, () => [Get("dns", query: getQuery)]),
    ("pub-sub GET /ps?rt=core.ps.data", false, () => [Get("ps", query: "rt=core.ps.data")]),
    ("pub-sub GET /ps/data/bench (740 B value)", false, () => [Get("ps/data/bench")]),
    ($"pub-sub subscribe /ps/data/bench, 3 publications in {observeWindow.TotalSeconds} s", true, () => [Get("ps/data/bench", observe: 0)]),
    ("files GET /files/readme.txt (2000 B)", false, () => [Get("files/readme.txt")]),
};

var results = new List<(string Setting, string Scenario, Victim Victim)>();
foreach (var guarded in new[] { true, false })
{
    var setting = guarded ? "guard on" : "guard off";
    var directory = Path.Join(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "coap-amplification-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
    var root = Directory.CreateDirectory(Path.Join(directory, "root")).FullName;
    await File.WriteAllTextAsync(Path.Join(root, "readme.txt"), new string('r', 1999) + "\n");
    try
    {
        using var dns = new DnsResponder();
        using var host = new HostProcess(
        [
            $"--Coap:LoopbackPeersVerified={(!guarded).ToString(CultureInfo.InvariantCulture)}", $"--Modules:FileServer:Root={root}",
            $"--Modules:PubSub:StateDirectory={Path.Join(directory, "pubsub")}", $"--Modules:Doc:Upstreams:0={dns.EndPoint}",
        ]);
        var server = new IPEndPoint(IPAddress.Loopback, await host.PortAsync());
        await using var publisher = new CoapClient();
        await CreateTopicAsync(publisher, server);
        foreach (var (name, observe, requests) in scenarios)
        {
            var victim = new Victim(server);
            foreach (var request in requests())
            {
                victim.Send(request);
            }

            var listening = victim.ListenAsync(observe ? observeWindow : replyWindow);
            if (name.StartsWith("pub-sub subscribe", StringComparison.Ordinal))
            {
                for (var i = 0; i < 3; i++)
                {
                    await Task.Delay(observeWindow / 4);
                    await PublishAsync(publisher, server);
                }
            }

            await listening;
            results.Add((setting, name, victim));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{setting}, {name}: sent {victim.Sent} B, received {victim.Received} B in {victim.Datagrams} datagrams ({victim.Codes})"));
        }

        Console.WriteLine($"{setting}: the host logged {host.ErrorCount} errors; exit on SIGTERM {await host.StopAsync()}");
    }
    finally
    {
        Directory.Delete(directory, recursive: true);
    }
}

Console.WriteLine();
Console.WriteLine("| request from an unverified source | sent | received, guard on | ratio | received, guard off | ratio |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var (name, _, _) in scenarios)
{
    var on = results.Single(r => r.Setting == "guard on" && r.Scenario == name).Victim;
    var off = results.Single(r => r.Setting == "guard off" && r.Scenario == name).Victim;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {on.Sent} B | {on.Received} B ({on.Codes}) | {(double)on.Received / on.Sent:F2} | {off.Received} B ({off.Datagrams} datagram{(off.Datagrams == 1 ? "" : "s")}) | {(double)off.Received / off.Sent:F1} |"));
}

var worst = results.Where(r => r.Setting == "guard on").Max(r => (double)r.Victim.Received / r.Victim.Sent);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst ratio with the guard on: {worst:F2} (goal: at most 3)"));
return worst <= 3 ? 0 : 1;

static CoapMessage Get(string path, int? observe = null, CoapMessageType type = CoapMessageType.Confirmable, string? query = null, BlockValue? block2 = null)
{
    var request = CoapMessage.CreateRequest(CoapCode.Get, path, type);
    request.MessageId = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
    request.Token = CoapToken.FromUInt64((ulong)Random.Shared.NextInt64(), 4);
    request.Observe = observe;
    if (query is not null)
    {
        request.SetUriQuery(query);
    }

    if (block2 is { } block)
    {
        request.Options.Set(block.ToOption(OptionNumber.Block2));
    }

    return request;
}

CoapMessage Dns(CoapCode method)
{
    var request = Get("dns");
    request.Code = method;
    request.ContentFormat = 553;
    request.Payload = query;
    return request;
}

// A topic "bench" whose data lives at ps/data/bench, with a first value, created by a client that verifies its address.
async Task CreateTopicAsync(CoapClient client, IPEndPoint server)
{
    // CBOR {0: "bench", 1: "ps/data/bench", 2: "core.ps.data"}.
    byte[] map = [0xA3, 0x00, 0x65, .. "bench"u8, 0x01, 0x6D, .. "ps/data/bench"u8, 0x02, 0x6C, .. "core.ps.data"u8];
    var create = client.NewRequest(CoapCode.Post, map, 606);
    create.SetUriPath("ps");
    var created = await client.SendAsync(create, server);
    if (created.Code != CoapCode.Created)
    {
        throw new InvalidOperationException($"creating the topic: {created.Code}");
    }

    await PublishAsync(client, server);
}

async Task PublishAsync(CoapClient client, IPEndPoint server)
{
    var put = client.NewRequest(CoapCode.Put, publication, ContentFormat.TextPlain);
    put.SetUriPath("ps/data/bench");
    var published = await client.SendAsync(put, server);
    if (!published.Code.IsSuccess)
    {
        throw new InvalidOperationException($"publishing: {published.Code}");
    }
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
