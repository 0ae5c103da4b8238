using System.Globalization;
using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Libcoap;

/// <summary>
/// Clients through the Echo round trip (RFC 9175 §2.4) of a server that does not count loopback peers as verified: a
/// response larger than three times its request is first answered with 4.01 and an Echo, which the client repeats
/// its request with.
/// </summary>
public sealed class EchoRoundTripTests : IAsyncLifetime
{
    private static readonly string Coap = Path.Combine(AppContext.BaseDirectory, "coap.dll");
    private static readonly string Body = string.Concat(Enumerable.Range(0, 400).Select(i => $"line {i:D4}\n"));
    private readonly CoapEndpoint _server;
    private readonly TestResource _big;
    private readonly TestObservableResource _counter;
    private int _value;
    private int _echoed;

    public EchoRoundTripTests()
    {
        _big = new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Body), ContentFormat.TextPlain)));
        _counter = new TestObservableResource(c =>
        {
            if (c.Request.Options.Contains(OptionNumber.Echo))
            {
                Interlocked.Increment(ref _echoed);
            }

            return CoapMessage.CreateResponse(
                CoapCode.Content, Encoding.UTF8.GetBytes($"value {Interlocked.Increment(ref _value).ToString(CultureInfo.InvariantCulture)} of the counter\n"), ContentFormat.TextPlain);
        });
        var tree = new ResourceTree();
        // Titles long enough that /.well-known/core is more than three times its request.
        tree.Map("big", _big, new ResourceMetadata { Title = "four thousand bytes of text, in four blocks" });
        tree.Map("counter", _counter, new ResourceMetadata { Observable = true, Title = "counts the requests for it" });
        _server = TestEndpoints.StartUdpServer(tree.WithWellKnownCore(), new CoapEndpointOptions { LoopbackPeersVerified = false });
    }

    private string Uri(string path) => $"coap://127.0.0.1:{_server.LocalEndPoints[0].Port}/{path}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Libcoap_client_gets_a_block_wise_resource_after_repeating_its_request_with_the_echo()
    {
        var output = Path.Combine(Path.GetTempPath(), $"echo-{Guid.NewGuid():N}.txt");
        try
        {
            var result = await LibcoapClient.RunAsync("-v", "7", "-o", output, "-m", "get", Uri("big"));

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(Body, await File.ReadAllTextAsync(output));
            Assert.Matches(@"c:4\.01 [^\n]*Echo", result.StandardOutput + result.StandardError);
            Assert.Equal(2 + (Body.Length / 1024), _big.Calls);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task Libcoap_client_discovers_through_the_echo()
    {
        var result = await LibcoapClient.RunAsync("-v", "7", "-m", "get", Uri(".well-known/core"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("</big>;title=\"", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"c:4\.01 [^\n]*Echo", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Libcoap_client_registers_an_observation_with_the_echo()
    {
        var result = await Tool.RunAsync(Tool.Find("coap-client-notls"), ["-B", "8", "-s", "1", "-v", "7", "-m", "get", Uri("counter")], TimeSpan.FromSeconds(15));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("of the counter", result.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"c:4\.01 [^\n]*Echo", result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task Our_cli_gets_a_block_wise_resource_through_the_echo()
    {
        var result = await Tool.RunAsync("dotnet", [Coap, "get", Uri("big")], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(Body, result.StandardOutput);
        Assert.Equal(2 + (Body.Length / 1024), _big.Calls);
    }

    [Fact]
    public async Task Our_cli_observes_through_the_echo()
    {
        var result = await Tool.RunAsync("dotnet", [Coap, "observe", Uri("counter"), "--count", "1"], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("value 1 of the counter", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref _echoed));
    }
}
