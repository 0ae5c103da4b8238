using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Libcoap;

/// <summary>libcoap's coap-client talks to our engine over real UDP on loopback.</summary>
public sealed class LibcoapClientAgainstOurServerTests : IAsyncLifetime
{
    private static readonly TimeSpan SlowHandler = TimeSpan.FromMilliseconds(1500);
    private readonly CoapEndpoint _server;
    private readonly TestResource _slow;

    public LibcoapClientAgainstOurServerTests()
    {
        _slow = new TestResource(async _ =>
        {
            await Task.Delay(SlowHandler);
            return CoapMessage.CreateResponse(CoapCode.Content, "finally"u8.ToArray(), ContentFormat.TextPlain);
        });
        var tree = new ResourceTree();
        tree.Map("hello", TestResource.Text("world"), new ResourceMetadata { ResourceTypes = ["test.hello"], ContentFormats = [ContentFormat.TextPlain] });
        tree.Map("slow", _slow, new ResourceMetadata { Title = "answers after 1.5 s" });
        tree.Map("echo", new TestResource(c => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed, c.Request.Payload.ToArray(), c.Request.ContentFormat))));
        _server = TestEndpoints.StartUdpServer(tree.WithWellKnownCore());
    }

    private string Uri(string path) => $"coap://127.0.0.1:{_server.LocalEndPoints[0].Port}/{path}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Discovery_lists_our_resources_in_link_format()
    {
        var result = await LibcoapClient.RunAsync("-m", "get", Uri(".well-known/core"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("</hello>;rt=\"test.hello\";ct=0", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("</slow>", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Con_get_is_answered()
    {
        var result = await LibcoapClient.RunAsync("-m", "get", Uri("hello"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("world", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Non_get_is_answered()
    {
        var result = await LibcoapClient.RunAsync("-N", "-m", "get", Uri("hello"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("world", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Put_payload_and_content_format_arrive_intact()
    {
        var result = await LibcoapClient.RunAsync("-m", "put", "-t", "50", "-e", "{\"a\":1}", Uri("echo"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"a\":1}", result.StandardOutput.Trim());
    }

    [Fact]
    public async Task Slow_resource_is_answered_as_a_separate_response()
    {
        var result = await LibcoapClient.RunAsync("-v", "7", "-m", "get", Uri("slow"));

        Assert.Equal(0, result.ExitCode);
        var output = result.StandardOutput + result.StandardError;
        Assert.Contains("finally", output, StringComparison.Ordinal);
        Assert.Matches("ACK.*0\\.00|0\\.00.*ACK|v:1 t:ACK c:0\\.00", output);
        Assert.Equal(1, _slow.Calls);
    }

    [Fact]
    public async Task Unknown_path_is_4_04()
    {
        var result = await LibcoapClient.RunAsync("-m", "get", Uri("nope"));

        Assert.Contains("4.04", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_payload_over_a_thousand_bytes_in_one_datagram_arrives_intact()
    {
        var text = new string('x', 1000);

        var result = await LibcoapClient.RunAsync("-m", "put", "-e", text, Uri("echo"));

        Assert.Equal(text, result.StandardOutput.Trim());
        Assert.Equal(text.Length, Encoding.UTF8.GetByteCount(result.StandardOutput.Trim()));
    }
}
