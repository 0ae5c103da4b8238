using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Cli.Tests.Commands;

/// <summary>
/// --oscore DIR: requests protected with the context folder's security context (RFC 8613, the C.1 context of
/// Appendix C) against our server, which accepts only OSCORE for its resource; the folder is locked while a command
/// runs and its state saved when it ends, so the next command starts where the last one stopped; a folder whose
/// secret others may read is a usage error.
/// </summary>
public sealed class OscoreCommandTests : IAsyncLifetime
{
    private const string C1ClientSettings = """
        {
          "algorithm": "AES-CCM-16-64-128",
          "sender-id_hex": "",
          "recipient-id_hex": "01",
          "secret_hex": "0102030405060708090a0b0c0d0e0f10",
          "salt_hex": "9e7ca92223786340"
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("coap-cli-oscore-").FullName;
    private readonly TestResource _secret = new(context => ValueTask.FromResult(CoapMessage.CreateResponse(
        context.Identity == "c1" ? CoapCode.Content : CoapCode.Unauthorized, Encoding.UTF8.GetBytes("only over OSCORE"))));

    private readonly CoapEndpoint _server;
    private byte[] _uploaded = [];

    public OscoreCommandTests()
    {
        var tree = new ResourceTree();
        tree.Map("secret", _secret);
        tree.Map("upload", new TestResource(context =>
        {
            if (context.Identity == "c1")
            {
                Volatile.Write(ref _uploaded, context.Request.Payload.ToArray());
            }

            return ValueTask.FromResult(CoapMessage.CreateResponse(context.Identity == "c1" ? CoapCode.Changed : CoapCode.Unauthorized));
        }));
        var table = new OscoreContextTable();
        table.Add("c1", new OscoreSecurityContext(new OscoreContextParameters(
            Convert.FromHexString("0102030405060708090a0b0c0d0e0f10"), [0x01], [], Convert.FromHexString("9e7ca92223786340"))));
        _server = TestEndpoints.StartUdpServer(tree, oscore: table);
    }

    private string Uri => $"coap://127.0.0.1:{_server.LocalEndPoints[0].Port}/secret";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Get_with_oscore_is_answered_and_the_folder_state_is_saved_after_each_command()
    {
        WriteSettings(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var first = await CliRun.RunAsync("get", Uri, "--oscore", _directory);
        var second = await CliRun.RunAsync("get", Uri, "--oscore", _directory);
        var plain = await CliRun.RunAsync("get", Uri);

        Assert.Equal((0, "only over OSCORE\n"), (first.ExitCode, first.Text));
        Assert.Equal((0, "only over OSCORE\n"), (second.ExitCode, second.Text));
        Assert.Equal(4, plain.ExitCode);
        Assert.Equal(3, _secret.Calls);
        Assert.Contains("\"next-to-send\": 2", await File.ReadAllTextAsync(Path.Combine(_directory, "sequence.json")));
    }

    /// <summary>
    /// --oscore-outer-blocks: the 5000-byte file is protected once, as one request (one sequence number used, where
    /// inner block-wise would use five), and goes in Outer Block1 blocks the server joins before verifying.
    /// </summary>
    [Fact]
    public async Task Put_with_outer_blocks_protects_a_large_file_once_and_the_server_gets_it_whole()
    {
        WriteSettings(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var body = new byte[5000];
        new Random(3).NextBytes(body);
        var source = Path.Combine(_directory, "body.bin");
        await File.WriteAllBytesAsync(source, body);

        var put = await CliRun.RunAsync("put", Uri.Replace("/secret", "/upload"), "--file", source, "--oscore", _directory, "--oscore-outer-blocks");

        Assert.True(put.ExitCode == 0, put.Error);
        Assert.Equal(body, Volatile.Read(ref _uploaded));
        Assert.Contains("\"next-to-send\": 1", await File.ReadAllTextAsync(Path.Combine(_directory, "sequence.json")));
    }

    [Fact]
    public async Task Get_with_oscore_through_a_proxy_names_only_scheme_host_and_port_in_the_clear_and_is_answered()
    {
        WriteSettings(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        CoapMessage? seen = null;
        await using var forwarder = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        var gatewayTree = new ResourceTree();
        gatewayTree.MapForwardProxy(new TestResource(async context =>
        {
            seen = context.Request;
            var upstream = new CoapMessage { Type = CoapMessageType.Confirmable, Code = context.Request.Code, Payload = context.Request.Payload };
            upstream.Options.Add(Single(context.Request, OptionNumber.Oscore));
            var answer = await forwarder.SendAsync(upstream, _server.LocalEndPoints[0]);
            var response = CoapMessage.CreateResponse(answer.Code, answer.Payload);
            response.Options.Add(Single(answer, OptionNumber.Oscore));
            return response;
        }));
        await using var gateway = TestEndpoints.StartUdpServer(gatewayTree);

        var result = await CliRun.RunAsync("get", Uri, "--oscore", _directory, "--proxy", $"coap://127.0.0.1:{gateway.LocalEndPoints[0].Port}");

        Assert.Equal((0, "only over OSCORE\n"), (result.ExitCode, result.Text));
        Assert.NotNull(seen);
        Assert.Equal("coap", Single(seen, OptionNumber.ProxyScheme).GetString());
        Assert.Equal("127.0.0.1", Single(seen, OptionNumber.UriHost).GetString());
        Assert.True(seen.Options.TryGet(OptionNumber.UriPort, out var port) && port.TryGetUInt(out var number) && number == _server.LocalEndPoints[0].Port);
        Assert.False(seen.Options.Contains(OptionNumber.UriPath));
        Assert.False(seen.Options.Contains(OptionNumber.ProxyUri));
        Assert.Equal(1, _secret.Calls);
    }

    [Fact]
    public async Task A_folder_whose_secret_others_may_read_is_a_usage_error()
    {
        WriteSettings(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await CliRun.RunAsync("get", Uri, "--oscore", _directory);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--oscore", result.Error);
        Assert.Contains("chmod 600", result.Error);
        Assert.Equal(0, _secret.Calls);
    }

    private static CoapOption Single(CoapMessage message, ushort number) =>
        message.Options.TryGet(number, out var option) ? option : throw new InvalidOperationException($"no option {number}");

    private void WriteSettings(UnixFileMode mode)
    {
        var path = Path.Combine(_directory, "settings.json");
        File.WriteAllText(path, C1ClientSettings);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
