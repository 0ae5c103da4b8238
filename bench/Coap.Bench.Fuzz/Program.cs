using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Coap.Bench.Fuzz;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Fuzzing;

// The fuzzer of tests/Coap.Fuzzing against the real host over UDP on loopback, for as long as asked.
// Usage: dotnet bench/Coap.Bench.Fuzz/bin/Release/net10.0/Coap.Bench.Fuzz.dll [SEED=1] [DATAGRAMS=100000] [--lanes N=4] [--settle SEC=25] [--coverage]
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var seed = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 1;
var count = positional.Length > 1 ? long.Parse(positional[1], CultureInfo.InvariantCulture) : 100_000;
var lanes = Option("--lanes", 4);
var settle = TimeSpan.FromSeconds(Option("--settle", 25));
var showCoverage = args.Contains("--coverage");

using var directory = new FuzzDirectory();
using var dns = new DnsResponder();
using var host = new HostProcess(
[
    "--Coap:Transmission:MaxRetransmit=0", "--Coap:Transmission:AckTimeout=00:00:01", "--Coap:Transmission:MaxLatency=00:00:01",
    "--Coap:SeparateResponseAfter=00:00:00.5", $"--Modules:FileServer:Root={directory.Root}", "--Modules:FileServer:Writable=true",
    $"--Modules:PubSub:StateDirectory={directory.State}", $"--Modules:Doc:Upstreams:0={dns.EndPoint}",
    "--Modules:Doc:UpstreamTimeout=00:00:00.02", "--Modules:Doc:UpstreamAttempts=1",
]);
var server = new IPEndPoint(IPAddress.Loopback, await host.PortAsync());
var sentinel = directory.SentinelHash();
var before = ProcessFigures.Of(host.Pid);
var descriptorsBefore = DescriptorKinds(host.Pid);
Console.WriteLine($"fuzzing the host (pid {host.Pid}) at {server} with seed {seed}: {count} datagrams from {lanes} lanes, EXCHANGE_LIFETIME 3 s, files in {directory.Base}");

var lane = Enumerable.Range(0, lanes).Select(i => new Lane((seed * 100) + i, server, (count / lanes) + (i < count % lanes ? 1 : 0))).ToArray();
var clock = Stopwatch.StartNew();
var lanesDone = Task.WhenAll(lane.Select(l => Task.Factory.StartNew(l.Run, TaskCreationOptions.LongRunning)));

// The host's memory every 10 s while the datagrams come: a leak climbs, a working set levels off.
var resident = new List<long>();
while (await Task.WhenAny(lanesDone, Task.Delay(TimeSpan.FromSeconds(10))) != lanesDone)
{
    resident.Add(ProcessFigures.Of(host.Pid).ResidentKiB / 1024);
}

clock.Stop();
await lanesDone;
var sent = lane.Sum(l => l.Client.Sent);
var time = AskTime(server);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sent {sent} datagrams in {clock.Elapsed.TotalSeconds:F1} s: {sent / clock.Elapsed.TotalSeconds:F0} datagrams/s; the host sent {lane.Sum(l => l.Received)}"));

Console.WriteLine($"waiting {settle.TotalSeconds} s for expiry (uploads, message IDs, idle files)");
await Task.Delay(settle);
var after = ProcessFigures.Of(host.Pid);
var descriptorsAfter = DescriptorKinds(host.Pid);
var held = ProcessFigures.OpenFilesBelow(host.Pid, directory.Base);
var exit = await host.StopAsync();

var findings = new Findings();
var coverage = new Coverage();
foreach (var l in lane)
{
    findings.Merge(l.Client.Findings);
    coverage.Merge(l.Client.Coverage);
    if (l.Client.Findings.Count > 0 || l.Failure is not null)
    {
        Console.Write($"lane seed {l.Seed}: {l.Failure}\n{l.Client.Findings}");
    }
}

var problems = new List<string>();
Check(findings.Count == 0, $"{findings.Count} findings in {findings.All.Count} kinds");
Check(lane.All(l => l.Failure is null), "a lane lost the host");
Check(host.ErrorCount == 0, $"the host logged {host.ErrorCount} errors:\n{string.Join('\n', host.FirstErrors)}");
Check(time == CoapCode.Content, $"GET /time at the end: {time?.ToString() ?? "no answer"}");
Check(directory.SentinelHash() == sentinel, "the sentinel beside the root changed");
Check(directory.TempFiles() == 0, $"{directory.TempFiles()} upload temp files left");
Check(held.Count == 0, $"the host holds {held.Count} files below the root open (the open-file cache keeps them 10 to 20 s)");
Check(exit == 0, $"the host's exit on SIGTERM: {exit?.ToString(CultureInfo.InvariantCulture) ?? "none within 20 s"}");
Console.WriteLine($"findings: {(findings.Count == 0 ? "none" : "\n" + findings)}");
Console.WriteLine($"host RSS during the run, MiB every 10 s: {(resident.Count == 0 ? "(the run took less than 10 s)" : string.Join(' ', resident))}");
Console.WriteLine($"host before: {before}");
Console.WriteLine($"host after:  {after} ({settle.TotalSeconds} s after the last datagram)");
Console.WriteLine("descriptors by kind, before → after: " + string.Join(", ", descriptorsBefore.Keys.Union(descriptorsAfter.Keys).Order(StringComparer.Ordinal)
    .Where(kind => descriptorsBefore.GetValueOrDefault(kind) != descriptorsAfter.GetValueOrDefault(kind))
    .Select(kind => $"{kind} {descriptorsBefore.GetValueOrDefault(kind)} → {descriptorsAfter.GetValueOrDefault(kind)}")));
if (showCoverage)
{
    Console.Write(coverage);
}

Console.WriteLine(problems.Count == 0 ? "result: clean" : "result: " + string.Join("; ", problems));
return problems.Count == 0 ? 0 : 1;

void Check(bool ok, string problem)
{
    if (!ok)
    {
        problems.Add(problem);
    }
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

// Open descriptors by what they are: "socket", "pipe", "anon_inode:inotify", "assemblies" (.dll and .pdb), "fuzzed files", a path.
Dictionary<string, int> DescriptorKinds(int pid) => ProcessFigures.OpenTargets(pid)
    .GroupBy(target => target.Contains(":[", StringComparison.Ordinal) ? target[..target.IndexOf(":[", StringComparison.Ordinal)]
        : target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".pdb", StringComparison.Ordinal) ? "assemblies"
        : target.StartsWith(directory.Base, StringComparison.Ordinal) ? "fuzzed files" : target)
    .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);

// GET /time from a socket the fuzzer never used; its code, or null without an answer within 5 s.
static CoapCode? AskTime(IPEndPoint server)
{
    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    socket.Connect(server);
    var request = CoapMessage.CreateRequest(CoapCode.Get, "time");
    request.MessageId = 1;
    request.Token = CoapToken.FromUInt64(1, 1);
    socket.Send(CoapMessageWriter.ToArray(request));
    var buffer = new byte[2048];
    return socket.Poll(5_000_000, SelectMode.SelectRead) && CoapMessageReader.TryRead(buffer.AsMemory(0, socket.Receive(buffer)), out var answer) == CoapDecodeError.None
        ? answer!.Code
        : null;
}
