using System.Collections.Concurrent;
using Coap.Engine.Client;
using Coap.Engine.Codec;
using Coap.Engine.Messaging;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.EndToEnd;
using Coap.Testing;

namespace Coap.Engine.Tests.Oscore;

/// <summary>
/// The amplification guard (RFC 9175 §2.4) for OSCORE requests from a peer whose address is not verified (loopback
/// does not count here): the challenge, 4.01 with an Echo, travels inside the protected response, and the client's
/// repeat carries the Echo inside its protected request; an unprotected challenge would be refused by the client.
/// </summary>
public sealed class OscoreAmplificationTests : IAsyncLifetime
{
    private static readonly byte[] Secret = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    private static readonly byte[] Body = BlockwiseEndToEndTests.RandomBody(600, seed: 23);

    private readonly InMemoryNetwork _network = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<CoapMessage> _fromServer = new();
    private readonly TestResource _big = new(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Body)));
    private readonly TestResource _small = TestResource.Text("ok");
    private readonly Coap.Engine.Exchanges.CoapEndpoint _server;

    public OscoreAmplificationTests()
    {
        var tree = new ResourceTree();
        tree.Map("big", _big);
        tree.Map("small", _small);
        var table = new OscoreContextTable();
        table.Add("c1", new OscoreSecurityContext(new OscoreContextParameters(Secret, [], [0x01], [])));
        (_server, _) = TestEndpoints.StartServer(tree, _time, new CoapEndpointOptions { LoopbackPeersVerified = false }, _network, oscore: table);
        _network.Drop = (datagram, from, _) =>
        {
            if (from.Equals(TestEndpoints.ServerAddress) && CoapMessageReader.TryReadCopy(datagram, out var message) == CoapDecodeError.None)
            {
                _fromServer.Enqueue(message!);
            }

            return false;
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private CoapClient Client() => TestEndpoints.CreateClient(_time, _network, new CoapClientOptions
    {
        Timeout = TimeSpan.FromSeconds(5),
        Oscore = new OscoreSecurityContext(new OscoreContextParameters(Secret, [0x01], [], [])),
    });

    private static string Uri(string path) => $"coap://127.0.0.1:{TestEndpoints.ServerAddress.Port}/{path}";

    [Fact]
    public async Task A_large_protected_response_to_an_unverified_peer_becomes_a_protected_echo_challenge_the_client_answers()
    {
        await using var client = Client();

        var response = await client.GetAsync(Uri("big"));
        var again = await client.GetAsync(Uri("big"));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Body, response.Payload.ToArray());
        Assert.Equal(Body, again.Payload.ToArray());
        Assert.Equal(3, _fromServer.Count);
        Assert.All(_fromServer, message => Assert.True(message.Options.Contains(OptionNumber.Oscore), "every answer is protected"));
        Assert.True(_fromServer.First().Payload.Length < 100, "the challenge replaced the large response");
        Assert.Equal(3, _big.Calls);
    }

    [Fact]
    public async Task A_small_protected_response_goes_to_an_unverified_peer_without_a_challenge()
    {
        await using var client = Client();

        var response = await client.GetAsync(Uri("small"));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Single(_fromServer);
        Assert.Equal(1, _small.Calls);
    }
}
