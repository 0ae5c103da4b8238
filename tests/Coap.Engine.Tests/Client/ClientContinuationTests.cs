using System.Globalization;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Client;

/// <summary>
/// CoapClientOptions.ContinueOnReceiveThread: what follows an awaited request runs on the client's receive thread
/// (no hand-over to the thread pool, for a proxy); by default it runs on the pool, off the receive thread.
/// </summary>
public sealed class ClientContinuationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_continuation_runs_on_the_receive_thread_only_when_asked(bool inline)
    {
        var tree = new ResourceTree();
        tree.Map("hello", TestResource.Text("hi"));
        await using var server = TestEndpoints.StartUdpServer(tree);
        await using var client = new CoapClient(new CoapClientOptions { ContinueOnReceiveThread = inline, Timeout = Bound });
        var uri = $"coap://127.0.0.1:{server.LocalEndPoints[0].Port.ToString(CultureInfo.InvariantCulture)}/hello";

        var (code, thread) = await GetOnAsync(client, uri);

        Assert.Equal(CoapCode.Content, code);
        Assert.Equal(inline, thread.Name?.StartsWith("coap-udp", StringComparison.Ordinal) ?? false);
        Assert.Equal(!inline, thread.IsThreadPoolThread);
    }

    /// <summary>The response's code and the thread that what follows the await ran on.</summary>
    private static async Task<(CoapCode Code, Thread Thread)> GetOnAsync(CoapClient client, string uri)
    {
        var response = await client.GetAsync(uri).ConfigureAwait(false);
        return (response.Code, Thread.CurrentThread);
    }
}
