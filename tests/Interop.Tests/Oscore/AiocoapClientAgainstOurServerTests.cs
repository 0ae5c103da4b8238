using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Coap.Engine.Codec;
using Coap.Engine.Exchanges;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Oscore;

/// <summary>
/// aiocoap-client (aiocoap 0.4.12, the OSCORE peer Debian offers) against our server over OSCORE, with the context of
/// RFC 8613 C.1 and with a fresh one (random secret, salt and IDs, written by the test in folders of mode 0700 with
/// settings.json 0600, the server's loaded from its folder): GET, a 20 000-byte PUT (aiocoap sends it block-wise,
/// inner Block1 of 1024 bytes: twenty protected requests), a GET of 4000 bytes (inner Block2: four protected requests),
/// and Observe. The resources answer only requests that came protected (their identity is the context's), and a tshark
/// capture proves that every request on the wire carried the OSCORE option and no Uri-Path in clear (aiocoap can
/// silently fall back to plaintext).
/// </summary>
public sealed class AiocoapClientAgainstOurServerTests : IAsyncLifetime
{
    internal const string C1ClientSettings = """
        {"algorithm": "AES-CCM-16-64-128", "sender-id_hex": "", "recipient-id_hex": "01",
         "secret_hex": "0102030405060708090a0b0c0d0e0f10", "salt_hex": "9e7ca92223786340"}
        """;

    internal const string C1ServerSettings = """
        {"algorithm": "AES-CCM-16-64-128", "sender-id_hex": "01", "recipient-id_hex": "",
         "secret_hex": "0102030405060708090a0b0c0d0e0f10", "salt_hex": "9e7ca92223786340"}
        """;

    /// <summary>A text of 4000 bytes: four inner Block2 blocks of 1024.</summary>
    private static readonly string BigText = string.Concat(Enumerable.Range(0, 400).Select(i => $"line {i,4}\n"));

    private readonly string _directory = Directory.CreateTempSubdirectory("aiocoap-oscore-").FullName;
    private readonly ResourceTree _tree;
    private CoapEndpoint? _server;
    private OscoreContextFolder? _serverFolder;
    private readonly TestObservableResource _clock;
    private readonly TestResource _hello;
    private byte[] _stored = [];
    private int _tick;

    public AiocoapClientAgainstOurServerTests()
    {
        var tree = new ResourceTree();
        _hello = new TestResource(context => Only(context, CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes("hello over OSCORE"), ContentFormat.TextPlain)));
        tree.Map("hello", _hello);
        tree.Map("store", new TestResource(Store));
        tree.Map("big", new TestResource(context => Only(context, CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(BigText), ContentFormat.TextPlain))));
        _clock = new TestObservableResource(context => Only(context, CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes("tick " + Volatile.Read(ref _tick)), ContentFormat.TextPlain)));
        tree.Map("clock", _clock, TestObservableResource.Metadata);
        _tree = tree;
    }

    private int Port => _server!.LocalEndPoints[0].Port;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit 2 calls this (IAsyncLifetime), not IAsyncDisposable.DisposeAsync.</summary>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _serverFolder?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// Starts our server with the context <paramref name="kind"/> names ("rfc8613-c1" or "fresh") as identity c1 and
    /// returns the folder of the client's side of it.
    /// </summary>
    private string StartServer(string kind)
    {
        var table = new OscoreContextTable();
        string clientFolder;
        if (kind == "fresh")
        {
            var (client, server) = FreshContext.Write(_directory);
            _serverFolder = OscoreContextFolder.Open(server);
            table.Add("c1", _serverFolder.Context);
            clientFolder = client;
        }
        else
        {
            table.Add("c1", new OscoreSecurityContext(new OscoreContextParameters(
                Convert.FromHexString("0102030405060708090a0b0c0d0e0f10"), [0x01], [], Convert.FromHexString("9e7ca92223786340"))));
            clientFolder = ContextFolder(_directory, "client", C1ClientSettings);
        }

        _server = TestEndpoints.StartUdpServer(_tree, oscore: table);
        return clientFolder;
    }

    [Theory]
    [InlineData("rfc8613-c1")]
    [InlineData("fresh")]
    public async Task Get_a_block_wise_put_and_a_block_wise_get_are_protected_on_the_wire(string context)
    {
        var folder = StartServer(context);
        var credentials = Aiocoap.Credentials(_directory, Port, folder);
        var body = new byte[20_000];
        new Random(5).NextBytes(body);
        var source = Path.Combine(_directory, "body.bin");
        await File.WriteAllBytesAsync(source, body);
        await using var capture = await Tshark.StartAsync(Port);

        var get = await Aiocoap.ClientAsync("--credentials", credentials, Uri("hello"));
        var put = await Aiocoap.ClientAsync("--credentials", credentials, "-m", "PUT", "--content-format", "application/octet-stream", "--payload", "@" + source, Uri("store"));
        var big = await Aiocoap.ClientAsync("--credentials", credentials, Uri("big"));

        Assert.True(get.ExitCode == 0, get.StandardError);
        Assert.Equal("hello over OSCORE", get.StandardOutput.Trim());
        Assert.True(put.ExitCode == 0, put.StandardError);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Convert.ToHexString(SHA256.HashData(Volatile.Read(ref _stored))));
        Assert.True(big.ExitCode == 0, big.StandardError);
        Assert.Equal(BigText.TrimEnd(), big.StandardOutput.TrimEnd());
        if (capture is not null)
        {
            var (requests, protectedRequests, withUriPath) = await capture.StopAndCountAsync();
            var datagrams = await capture.RequestDatagramsAsync();
            Assert.True(requests >= 25, $"{requests} requests captured (GET, twenty Block1 blocks of the PUT, four Block2 blocks of the large GET)");
            Assert.Equal(requests, protectedRequests);
            Assert.Equal(0, withUriPath);
            Assert.True(datagrams.Max(datagram => datagram.Length) < 1200, $"the largest request datagram has {datagrams.Max(datagram => datagram.Length)} bytes: the PUT went whole");
        }
    }

    /// <summary>
    /// Observe through OSCORE (§4.1.3.5, C.8): aiocoap accepts the registration response (the request's nonce) and each
    /// notification (a Partial IV of our own, which it uses as the notification's order) and delivers every change.
    /// aiocoap-client --observe prints only the first response (chrysn/aiocoap#395), so aiocoap_observe.py drives
    /// aiocoap's library; it runs until killed.
    /// </summary>
    [Theory]
    [InlineData("rfc8613-c1")]
    [InlineData("fresh")]
    public async Task Observe_delivers_every_change_and_is_protected_on_the_wire(string context)
    {
        var folder = StartServer(context);
        var credentials = Aiocoap.Credentials(_directory, Port, folder);
        await using var capture = await Tshark.StartAsync(Port);
        using var observer = Aiocoap.Start(Path.Combine(AppContext.BaseDirectory, "Oscore", "aiocoap_observe.py"), [credentials, Uri("clock")]);
        var errors = observer.StandardError.ReadToEndAsync();
        var seen = new List<string>();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            async Task<string?> NextLineAsync() => await observer.StandardOutput.ReadLineAsync(cancel.Token) is { } line ? line : null;
            seen.Add(await NextLineAsync() ?? "(ended)");
            for (var tick = 1; tick <= 2 && seen[^1] != "(ended)"; tick++)
            {
                Volatile.Write(ref _tick, tick);
                _clock.Observers.NotifyChanged();
                seen.Add(await NextLineAsync() ?? "(ended)");
            }
        }
        finally
        {
            observer.Kill();
            await observer.WaitForExitAsync();
        }

        Assert.True(seen.SequenceEqual(["2.05 Content tick 0", "2.05 Content tick 1", "2.05 Content tick 2"]), string.Join(" | ", seen) + "\n" + await errors);
        if (capture is not null)
        {
            var (requests, protectedRequests, withUriPath) = await capture.StopAndCountAsync();
            Assert.True(requests >= 1, $"{requests} requests captured");
            Assert.Equal(requests, protectedRequests);
            Assert.Equal(0, withUriPath);
        }
    }

    /// <summary>
    /// A protected request aiocoap sent, captured on the wire and sent again from another port (an attacker's replay),
    /// is refused with an unprotected 4.01 "Replay detected" and never reaches the resource.
    /// </summary>
    [Fact]
    public async Task A_captured_request_replayed_from_another_port_is_refused_and_not_processed()
    {
        var folder = StartServer("rfc8613-c1");
        var credentials = Aiocoap.Credentials(_directory, Port, folder);
        await using var capture = await Tshark.StartAsync(Port);
        Assert.NotNull(capture);
        var get = await Aiocoap.ClientAsync("--credentials", credentials, Uri("hello"));
        await capture.StopAndCountAsync();
        var captured = Assert.Single(await capture.RequestDatagramsAsync());

        using var attacker = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        await attacker.SendAsync(captured, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Port));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = await attacker.ReceiveAsync(cancel.Token);

        Assert.Equal(0, get.ExitCode);
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryReadCopy(answer.Buffer, out var refusal));
        Assert.Equal(CoapCode.Unauthorized, refusal!.Code);
        Assert.False(refusal.Options.Contains(OptionNumber.Oscore));
        Assert.Equal("Replay detected", Encoding.UTF8.GetString(refusal.Payload.Span));
        Assert.Equal(1, _hello.Calls);
    }

    /// <summary>A fresh context folder (aiocoap writes sequence.json and a lock file into it): settings.json, chmod 600.</summary>
    internal static string ContextFolder(string parent, string name, string settings)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        var path = Path.Combine(folder, "settings.json");
        File.WriteAllText(path, settings);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return folder;
    }

    private string Uri(string path) => $"coap://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{path}";

    private ValueTask<CoapMessage> Store(CoapRequestContext context)
    {
        if (context.Request.Code == CoapCode.Put)
        {
            Volatile.Write(ref _stored, context.Request.Payload.ToArray());
        }

        return Only(context, CoapMessage.CreateResponse(context.Request.Code == CoapCode.Put ? CoapCode.Changed : CoapCode.Content, Volatile.Read(ref _stored)));
    }

    /// <summary>Refuses what did not come through OSCORE: a plaintext fallback fails the test instead of passing it.</summary>
    private static ValueTask<CoapMessage> Only(CoapRequestContext context, CoapMessage response) =>
        ValueTask.FromResult(context.Identity == "c1" ? response : CoapMessage.CreateResponse(CoapCode.Unauthorized));
}
