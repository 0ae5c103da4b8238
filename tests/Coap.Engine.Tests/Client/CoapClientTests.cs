using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Client;

/// <summary>CoapClient against an engine server over an in-memory network with a fake clock.</summary>
public sealed class CoapClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryNetwork _network = new();
    private readonly TaskCompletionSource<CoapMessage> _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Coap.Engine.Exchanges.CoapEndpoint _server;

    public CoapClientTests()
    {
        var tree = new ResourceTree();
        tree.Map("hello", TestResource.Text("world"));
        tree.Map("echo", new TestResource(c => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed, c.Request.Payload.ToArray(), c.Request.ContentFormat))));
        tree.Map("never", new TestResource(_ => new ValueTask<CoapMessage>(_never.Task)));
        (_server, _) = TestEndpoints.StartServer(tree, _time, network: _network);
    }

    private static string Uri(string path) => $"coap://127.0.0.1:{TestEndpoints.ServerAddress.Port}/{path}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Get_and_put_round_trip()
    {
        await using var client = TestEndpoints.CreateClient(_time, _network);

        var get = await client.GetAsync(Uri("hello")).WaitAsync(TimeSpan.FromSeconds(5));
        var put = await client.PutAsync(Uri("echo"), Encoding.UTF8.GetBytes("payload"), ContentFormat.TextPlain).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("world", Encoding.UTF8.GetString(get.Payload.Span));
        Assert.Equal(CoapCode.Changed, put.Code);
        Assert.Equal("payload", Encoding.UTF8.GetString(put.Payload.Span));
        Assert.Equal(ContentFormat.TextPlain, put.ContentFormat);
    }

    [Fact]
    public async Task Non_client_gets_a_non_response()
    {
        await using var client = TestEndpoints.CreateClient(_time, _network, new CoapClientOptions { NonConfirmable = true });

        var response = await client.GetAsync(Uri("hello")).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(CoapMessageType.NonConfirmable, response.Type);
    }

    [Fact]
    public async Task Request_with_no_answer_ends_with_the_clients_timeout()
    {
        await using var client = TestEndpoints.CreateClient(_time, _network, new CoapClientOptions { Timeout = TimeSpan.FromSeconds(3), NonConfirmable = true });

        var pending = client.GetAsync(Uri("never"));
        _time.Advance(TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<CoapTimeoutException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_a_timeout()
    {
        await using var client = TestEndpoints.CreateClient(_time, _network, new CoapClientOptions { NonConfirmable = true });
        using var cancel = new CancellationTokenSource();

        var pending = client.GetAsync(Uri("never"), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Invalid_uri_is_refused_before_anything_is_sent()
    {
        await using var client = TestEndpoints.CreateClient(_time, _network);

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync("http://example.org/"));
    }
}
