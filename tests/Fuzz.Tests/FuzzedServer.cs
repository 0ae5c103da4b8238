using System.Net;
using Coap.Engine.Protocol;
using Coap.Engine.Hosting;
using Coap.Engine.Messaging;
using Coap.Fuzzing;
using Coap.Testing;
using Microsoft.Extensions.DependencyInjection;
using Services.Doc;
using Services.Doc.Upstream;
using Services.FileServer;
using Services.PubSub;
using Services.Time;

namespace Fuzz.Tests;

/// <summary>
/// The file service (writable), the time, the pub-sub broker and DoC on one lockstep server with an
/// EXCHANGE_LIFETIME of 3 s, over a fresh temp directory: "root" is served and holds two links that lead out of it
/// ("escape" to the directory "outside", "outlink.txt" to a file there), "outside" is the sentinel nothing may change,
/// "pubsub" the broker's state. DoC asks <see cref="StandInUpstream"/>. The fuzzer's peers are 127.0.0.1:40000 and up.
/// </summary>
internal sealed class FuzzedServer : IAsyncDisposable
{
    private const int FirstPeerPort = 40000;

    public FuzzedServer()
    {
        Base = Directory.CreateTempSubdirectory("fuzz-tests-").FullName;
        Root = Directory.CreateDirectory(Path.Join(Base, "root")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(Base, "outside")).FullName;
        File.WriteAllText(Path.Join(Outside, "secret.txt"), "top secret");
        Directory.CreateSymbolicLink(Path.Join(Root, "escape"), Outside);
        File.CreateSymbolicLink(Path.Join(Root, "outlink.txt"), Path.Join(Outside, "secret.txt"));
        var settings = new Dictionary<string, string?>
        {
            ["Modules:FileServer:Root"] = Root,
            ["Modules:FileServer:Writable"] = "true",
            ["Modules:PubSub:StateDirectory"] = Path.Join(Base, "pubsub"),
        };
        var options = new CoapEndpointOptions { SeparateResponseAfter = TimeSpan.FromMilliseconds(500) };
        options.Transmission.MaxRetransmit = 0;
        options.Transmission.AckTimeout = TimeSpan.FromSeconds(1);
        options.Transmission.MaxLatency = TimeSpan.FromSeconds(1);
        ICoapModule[] modules = [new FileServerModule(), new TimeModule(), new PubSubModule(), new DocModule()];
        Server = new ModuleServer(modules, settings, configureServices: s => s.AddSingleton<IDnsUpstream, StandInUpstream>(), options: options);
    }

    public string Base { get; }

    public string Root { get; }

    public string Outside { get; }

    public ModuleServer Server { get; }

    /// <summary>
    /// Sends one datagram of the fuzzer, after moving the clock as it asked, and hands it everything the server sent.
    /// </summary>
    public void Send(FuzzClient client, FuzzDatagram datagram)
    {
        if (datagram.AdvanceBefore > TimeSpan.Zero)
        {
            Server.Time.Advance(datagram.AdvanceBefore);
            Pump(client);
        }

        Server.Transport.Deliver(datagram.Bytes, PeerAddress(datagram.Peer));
        Pump(client);
    }

    /// <summary>
    /// Lets 24 s pass on the clock in 2-s steps (past EXCHANGE_LIFETIME, the engine's sweeps, and the open-file cache's
    /// 10 s idle time checked every 10 s), then waits at most 10 s of real time for the answers still owed to the
    /// fuzzer's CONs (a response finished on another thread).
    /// </summary>
    public async Task SettleAsync(FuzzClient client)
    {
        for (var step = 0; step < 12; step++)
        {
            Server.Time.Advance(TimeSpan.FromSeconds(2));
            Pump(client);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (client.Awaiting > 0 && DateTime.UtcNow < deadline)
        {
            try
            {
                Receive(client, await Server.Transport.NextAsync(deadline - DateTime.UtcNow));
            }
            catch (TimeoutException)
            {
                break;
            }

            Pump(client);
        }
    }

    /// <summary>The server's answer to one CON request from a peer the fuzzer never played (message ID 1).</summary>
    public CoapMessage Ask(FuzzClient client, CoapMessage request)
    {
        Pump(client);
        var asker = new LockstepPeer(Server.Transport, new IPEndPoint(IPAddress.Loopback, FirstPeerPort - 1));
        request.MessageId = 1;
        asker.Send(request);

        // Handlers run on workers and pub-sub changes complete after their group commit, so a late answer (or a
        // notification) to a fuzzing peer may still come first: it goes to the client like the others.
        for (var taken = 0; taken < 10_000 && Server.Transport.TryTake(out var sent); taken++)
        {
            if (sent!.Remote.Port == FirstPeerPort - 1)
            {
                return sent.Decode();
            }

            Receive(client, sent);
        }

        throw new InvalidOperationException("The server sent no answer to the last request.");
    }

    /// <summary>Upload temp files (".{name}~{16 hex}.upload") anywhere below the root.</summary>
    public string[] TempFiles() =>
        [.. Directory.EnumerateFiles(Root, ".*.upload", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })];

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Base, recursive: true);
    }

    private void Pump(FuzzClient client)
    {
        while (Server.Transport.TryTake(out var sent))
        {
            Receive(client, sent!);
        }
    }

    private void Receive(FuzzClient client, SentDatagram sent)
    {
        var peer = sent.Remote.Port - FirstPeerPort;
        if (client.Receive(peer, sent.Bytes) is { } reply)
        {
            Server.Transport.Deliver(reply, PeerAddress(peer));
        }
    }

    private static IPEndPoint PeerAddress(int peer) => new(IPAddress.Loopback, FirstPeerPort + peer);
}
