using System.Formats.Cbor;
using System.Net;
using System.Text;
using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Coap.Testing;
using Microsoft.Extensions.DependencyInjection;
using Services.Doc;
using Services.Doc.Upstream;
using Services.FileServer;
using Services.PubSub;
using Services.Terminal;
using Services.Time;

namespace Interop.Tests.Access;

/// <summary>
/// Every built-in module (time, files writable, pub-sub, DoC, the terminal running /bin/sh) on one lockstep server with
/// the engine's access policy, as the host runs them. Plain CoAP peers speak from any address the test picks (the
/// in-memory transport delivers a datagram from a non-loopback address as the UDP socket would); an "authenticated"
/// peer is one the transport reports an identity for, which is all a DTLS transport adds at this seam
/// (<c>IDatagramTransport.IdentityOf</c>). The terminal's own peer gate lets the test networks in, so that what is
/// refused is refused by the policy.
/// </summary>
internal sealed class AccessServer : IAsyncDisposable
{
    public static readonly IPEndPoint Outsider = new(IPAddress.Parse("192.0.2.7"), 40001);
    public static readonly IPEndPoint Local = new(IPAddress.Loopback, 40002);
    public static readonly IPEndPoint AliceAt = new(IPAddress.Parse("198.51.100.20"), 40003);
    public static readonly IPEndPoint RootAt = new(IPAddress.Parse("198.51.100.21"), 40004);

    private ushort _messageId;

    public AccessServer(Dictionary<string, string?>? access = null)
    {
        Root = Directory.CreateTempSubdirectory("access-tests-").FullName;
        File.WriteAllText(Path.Join(Root, "readme.txt"), "hello");
        var settings = new Dictionary<string, string?>
        {
            ["Modules:FileServer:Root"] = Root,
            ["Modules:FileServer:Writable"] = "true",
            ["Modules:PubSub:StateDirectory"] = string.Empty,
            ["Modules:Terminal:Command"] = "/bin/sh",
            ["Modules:Terminal:AllowedPeers:0"] = "192.0.2.0/24",
            ["Modules:Terminal:AllowedPeers:1"] = "198.51.100.0/24",
            ["Access:Groups:admin:0"] = "root",
        };
        foreach (var (key, value) in access ?? [])
        {
            settings[key] = value;
        }

        ICoapModule[] modules = [new TimeModule(), new FileServerModule(), new PubSubModule(), new DocModule(), new TerminalModule()];
        Server = new ModuleServer(modules, settings, configureServices: s => s.AddSingleton<IDnsUpstream, EchoingUpstream>(), accessPolicy: true);
        Server.Transport.Authenticate(AliceAt, "alice");
        Server.Transport.Authenticate(RootAt, "root");
    }

    public string Root { get; }

    public ModuleServer Server { get; }

    /// <summary>The answer to a request from <paramref name="from"/>, through the Echo round trip when the engine asks for one (RFC 9175).</summary>
    public async Task<CoapMessage> SendAsync(IPEndPoint from, CoapMessage request)
    {
        var peer = new LockstepPeer(Server.Transport, from);
        request.MessageId = ++_messageId;
        request.Token = CoapToken.FromUInt64(_messageId, 2);
        peer.Send(request);
        var answer = await peer.ExpectAsync();
        if (answer.Code != CoapCode.Unauthorized || !answer.Options.TryGet(OptionNumber.Echo, out var echo))
        {
            return answer;
        }

        request.MessageId = ++_messageId;
        request.Options.Add(echo);
        peer.Send(request);
        return await peer.ExpectAsync();
    }

    /// <summary>Creates a topic as <paramref name="from"/> and returns its configuration path ("ps/abc") and data path ("ps/data/def").</summary>
    public async Task<(string Topic, string Data)> CreateTopicAsync(IPEndPoint from, string name)
    {
        var created = await SendAsync(from, Request(CoapCode.Post, "ps", TopicMaps.Named(name), 606));
        Assert.Equal(CoapCode.Created, created.Code);
        var reader = new CborReader(created.Payload);
        reader.ReadStartMap();
        while (reader.ReadInt32() != 1)
        {
            reader.SkipValue();
        }

        return (created.GetLocationPath().TrimStart('/'), reader.ReadTextString());
    }

    public static CoapMessage Request(CoapCode method, string path, byte[]? payload = null, int? format = null)
    {
        var request = CoapMessage.CreateRequest(method, path);
        if (payload is not null)
        {
            request.Payload = payload;
            request.ContentFormat = format;
        }

        return request;
    }


    /// <summary>A DNS query for example.com/A, as DoC's FETCH and POST carry it.</summary>
    public static byte[] DnsQuery()
    {
        byte[] header = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        return [.. header, 7, .. "example"u8, 3, .. "com"u8, 0, 0, 1, 0, 1];
    }

    public static string Text(CoapMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    /// <summary>Stops the server (hanging up every terminal session) and removes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
