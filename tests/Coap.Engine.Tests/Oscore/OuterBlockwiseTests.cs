using Coap.Engine.Blockwise;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.EndToEnd;
using Coap.Testing;

namespace Coap.Engine.Tests.Oscore;

/// <summary>
/// Outer Block2 on a protected response (RFC 8613 §4.1.3.4.2): block-wise of the protected message itself, outside
/// the encryption, for a client or proxy that asks for it (our server) or a server that sends it unasked (our client).
/// </summary>
public sealed class OuterBlockwiseTests
{
    private static readonly byte[] Secret = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    private static readonly byte[] Body = BlockwiseEndToEndTests.RandomBody(600, seed: 11);

    private readonly InMemoryNetwork _network = new();
    private readonly FakeTimeProvider _time = new();

    private static OscoreSecurityContext ClientContext() => new(new OscoreContextParameters(Secret, [0x01], [], []));

    private static OscoreSecurityContext ServerContext() => new(new OscoreContextParameters(Secret, [], [0x01], []));

    private static CoapMessage Get(string path)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Get };
        request.Options.Add(OptionNumber.UriPath, System.Text.Encoding.UTF8.GetBytes(path));
        return request;
    }

    [Fact]
    public async Task Our_server_answers_an_outer_block2_request_in_blocks_of_the_protected_response_and_runs_the_resource_once()
    {
        var resource = new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Body)));
        var tree = new ResourceTree();
        tree.Map("big", resource);
        var table = new OscoreContextTable();
        table.Add("c1", ServerContext());
        var (server, _) = TestEndpoints.StartServer(tree, _time, network: _network, oscore: table);
        await using var _ = server;
        await using var raw = TestEndpoints.CreateClient(_time, _network, new CoapClientOptions { Timeout = TimeSpan.FromSeconds(5) });
        var context = ClientContext();
        Assert.Equal(OscoreFailure.None, context.ProtectRequest(Get("big"), out var protectedRequest, out var binding));
        protectedRequest!.Options.Set(new BlockValue(0, false, 2).ToOption(OptionNumber.Block2));
        var blocks = 0;

        var first = await raw.SendAsync(protectedRequest, TestEndpoints.ServerAddress);
        var whole = await OscoreClientProtection.CompleteOuterBlocksAsync(protectedRequest, first, (next, cancel) =>
        {
            blocks++;
            return raw.SendAsync(next, TestEndpoints.ServerAddress, cancel);
        }, CancellationToken.None);
        var plain = OscoreClientProtection.Unprotect(context, whole, binding!);

        Assert.True(BlockRequests.TryGetBlock(first, OptionNumber.Block2, out var block0) && block0.More && block0.Size == 64, "block 0 of the protected response");
        Assert.True(first.Options.Contains(OptionNumber.Oscore));
        Assert.True(blocks >= 9, $"{blocks} later blocks");
        Assert.Equal(CoapCode.Content, plain.Code);
        Assert.Equal(Body, plain.Payload.ToArray());
        Assert.Equal(1, resource.Calls);
    }

    [Fact]
    public async Task Our_client_joins_a_protected_response_a_server_sends_in_outer_blocks_unasked_before_verifying_it()
    {
        var dispatcher = new OuterBlocksServer(ServerContext());
        var server = new CoapEndpoint(new CoapEndpointOptions(), _ => dispatcher, _time, new Random(7), null);
        server.Attach(new InMemoryTransport(TestEndpoints.ServerAddress, _network));
        await using var _ = server;
        await using var client = TestEndpoints.CreateClient(_time, _network, new CoapClientOptions { Timeout = TimeSpan.FromSeconds(5), Oscore = ClientContext() });

        var response = await client.GetAsync($"coap://127.0.0.1:{TestEndpoints.ServerAddress.Port}/big");

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Body, response.Payload.ToArray());
        Assert.True(dispatcher.LaterBlocks >= 9, $"{dispatcher.LaterBlocks} later blocks served");
    }

    /// <summary>A server that protects its answer whole and sends it in Outer blocks of 64 bytes without being asked.</summary>
    private sealed class OuterBlocksServer(OscoreSecurityContext context) : IRequestDispatcher
    {
        private readonly OscoreContextTable _table = Table(context);
        private CoapMessage? _whole;
        private int _laterBlocks;

        public int LaterBlocks => Volatile.Read(ref _laterBlocks);

        public ValueTask<CoapMessage> DispatchAsync(CoapMessage request, CoapPeer peer, CancellationToken aborted)
        {
            if (BlockRequests.TryGetBlock(request, OptionNumber.Block2, out var asked) && asked.Number > 0)
            {
                Interlocked.Increment(ref _laterBlocks);
                return ValueTask.FromResult(BlockSlicer.Slice(_whole!, asked, includeSize: false));
            }

            var result = _table.UnprotectRequest(request, out _, out var found);
            Assert.True(result.Succeeded, result.Failure.ToString());
            Assert.Equal(OscoreFailure.None, found!.ProtectResponse(CoapMessage.CreateResponse(CoapCode.Content, Body), result.Binding!, out var protectedResponse));
            _whole = protectedResponse;
            return ValueTask.FromResult(BlockSlicer.Slice(_whole!, new BlockValue(0, false, 2), includeSize: true));
        }

        public bool ChangesNeedVerifiedPeer(CoapMessage request) => false;

        public bool OnUnmatchedReset(CoapPeer peer, ushort messageId) => false;

        public void OnUnreachable(CoapPeer peer)
        {
        }

        public void OnStopping()
        {
        }

        private static OscoreContextTable Table(OscoreSecurityContext context)
        {
            var table = new OscoreContextTable();
            table.Add("c1", context);
            return table;
        }
    }
}
