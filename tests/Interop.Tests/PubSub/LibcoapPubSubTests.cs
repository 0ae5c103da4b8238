using System.Formats.Cbor;
using System.Globalization;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.PubSub;

/// <summary>
/// libcoap's coap-client against the broker in the real host: it creates a topic, publishes (PUT with -t and -e or
/// -f) and subscribes (-s); Python's cbor2 decodes the configuration maps the broker returns.
/// </summary>
public sealed class LibcoapPubSubTests : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("coap-pubsub-interop-").FullName;
    private readonly string _scratch = Directory.CreateTempSubdirectory("coap-pubsub-files-").FullName;
    private PubSubHost? _host;

    private PubSubHost Host => _host!;

    public async Task InitializeAsync() => _host = await PubSubHost.StartAsync(_state);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_state, recursive: true);
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public async Task Coap_client_creates_a_topic_and_python_cbor2_decodes_the_map_the_broker_returns()
    {
        var request = Path.Combine(_scratch, "create.cbor");
        var answer = Path.Combine(_scratch, "answer.cbor");
        await File.WriteAllBytesAsync(request, PubSubMaps.Topic("garden/humidity", ContentFormat.Cbor, "humidity"));

        var created = await LibcoapClient.RunAsync("-m", "post", "-t", "606", "-f", request, "-o", answer, Host.Uri("ps"));
        var decoded = await Tool.RunAsync("/usr/bin/python3", ["-c",
            "import cbor2,sys,json; m=cbor2.loads(open(sys.argv[1],'rb').read()); print(json.dumps({str(k): v for k, v in sorted(m.items())}))", answer]);

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(0, decoded.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(decoded.StandardOutput);
        var map = json.RootElement;
        Assert.Equal("garden/humidity", map.GetProperty("0").GetString());
        Assert.StartsWith("ps/data/", map.GetProperty("1").GetString(), StringComparison.Ordinal);
        Assert.Equal("core.ps.data", map.GetProperty("2").GetString());
        Assert.Equal(60, map.GetProperty("3").GetInt32());
        Assert.Equal("humidity", map.GetProperty("4").GetString());
        Assert.Equal(86400, map.GetProperty("7").GetInt32());
    }

    [Fact]
    public async Task Python_cbor2_decodes_a_fetch_of_some_keys_and_the_expiration_date_as_a_datetime()
    {
        await using var client = new CoapClient();
        var created = await client.PostAsync(Host.Uri("ps"), PubSubMaps.Topic("t", ContentFormat.TextPlain, "x"), PubSubMaps.Format);
        var topic = created.GetLocationPath().TrimStart('/');
        var expiration = DateTimeOffset.UtcNow.AddDays(2);
        var patch = new CborWriter();
        patch.WriteStartMap(1);
        patch.WriteInt32(5);
        patch.WriteUnixTimeSeconds(expiration.ToUnixTimeSeconds());
        patch.WriteEndMap();
        var request = client.NewRequest(CoapCode.IPatch, patch.Encode(), PubSubMaps.Format);
        Assert.Equal(CoapCode.Changed, (await client.SendAsync(request, CoapUri.Parse(Host.Uri(topic)))).Code);
        var keys = Path.Combine(_scratch, "keys.cbor");
        var answer = Path.Combine(_scratch, "fetched.cbor");
        await File.WriteAllBytesAsync(keys, [0x82, 0x00, 0x05]);

        var fetched = await LibcoapClient.RunAsync("-m", "fetch", "-t", "60", "-f", keys, "-o", answer, Host.Uri(topic));
        var decoded = await Tool.RunAsync("/usr/bin/python3", ["-c",
            "import cbor2,sys; m=cbor2.loads(open(sys.argv[1],'rb').read()); print(sorted(m), m[0], type(m[5]).__name__, int(m[5].timestamp()))", answer]);

        Assert.Equal(0, fetched.ExitCode);
        Assert.Equal(0, decoded.ExitCode);
        Assert.Equal($"[0, 5] t datetime {expiration.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}", decoded.StandardOutput.Trim());
    }

    [Fact]
    public async Task Coap_client_publishes_cbor_with_t_60_and_e_and_from_a_file()
    {
        await using var client = new CoapClient();
        var created = await client.PostAsync(Host.Uri("ps"), PubSubMaps.Topic("cbor", ContentFormat.Cbor, "x"), PubSubMaps.Format);
        var data = PubSubMaps.DataPath(created.Payload);
        var file = Path.Combine(_scratch, "value.cbor");
        await File.WriteAllBytesAsync(file, [0xa1, 0x01, 0xf9, 0x4d, 0x60]);

        // "cabc" is itself CBOR: 0x63 starts a text string of three bytes, "abc".
        var first = await LibcoapClient.RunAsync("-m", "put", "-t", "60", "-e", "cabc", Host.Uri(data));
        var afterFirst = await client.GetAsync(Host.Uri(data));
        var second = await LibcoapClient.RunAsync("-m", "put", "-t", "60", "-f", file, Host.Uri(data));
        var afterSecond = await client.GetAsync(Host.Uri(data));
        var wrongFormat = await LibcoapClient.RunAsync("-m", "put", "-t", "0", "-e", "text", Host.Uri(data));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal("cabc"u8.ToArray(), afterFirst.Payload.ToArray());
        Assert.Equal(ContentFormat.Cbor, afterFirst.ContentFormat);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(new byte[] { 0xa1, 0x01, 0xf9, 0x4d, 0x60 }, afterSecond.Payload.ToArray());
        Assert.Contains("4.15", wrongFormat.StandardError + wrongFormat.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coap_client_subscribes_and_prints_a_publication_as_it_arrives()
    {
        await using var client = new CoapClient();
        var created = await client.PostAsync(Host.Uri("ps"), PubSubMaps.Topic("news", ContentFormat.TextPlain, "x"), PubSubMaps.Format);
        var data = PubSubMaps.DataPath(created.Payload);
        await client.PutAsync(Host.Uri(data), "first\n"u8.ToArray(), ContentFormat.TextPlain);

        // The subscription outlasts the test's own bound (the test kills the client), so that starting the publishing
        // client on a busy machine cannot outlast it.
        using var subscriber = Tool.Start(Tool.Find("coap-client-notls"), ["-B", "60", "-s", "60", "-m", "get", Host.Uri(data)]);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var seen = new StringBuilder();
            await ReadUntilAsync(subscriber, seen, "first", timeout.Token);
            await LibcoapClient.RunAsync("-m", "put", "-t", "0", "-e", "second\n", Host.Uri(data));
            await ReadUntilAsync(subscriber, seen, "second", timeout.Token);

            var lines = seen.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal("first", lines[0]);
            Assert.Equal("second", lines[^1]);
        }
        finally
        {
            subscriber.Kill(entireProcessTree: true);
            await subscriber.WaitForExitAsync();
        }
    }

    /// <summary>Reads a process's standard output into <paramref name="seen"/> until it holds <paramref name="wanted"/>.</summary>
    internal static async Task ReadUntilAsync(System.Diagnostics.Process process, StringBuilder seen, string wanted, CancellationToken cancellationToken)
    {
        var buffer = new char[256];
        while (!seen.ToString().Contains(wanted, StringComparison.Ordinal))
        {
            var read = await process.StandardOutput.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                throw new InvalidOperationException($"coap-client ended before printing '{wanted}': {seen}");
            }

            seen.Append(buffer, 0, read);
        }
    }
}
