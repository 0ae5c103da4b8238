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
/// Outer Block1 on a protected request (RFC 8613 §4.1.3.4.2): the protected message itself in blocks, put together
/// by the server before it is unprotected, verified once and processed once; sent so by our client on request.
/// </summary>
public sealed class OuterBlock1Tests : IAsyncLifetime
{
    private static readonly byte[] Secret = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    private static readonly byte[] Body = BlockwiseEndToEndTests.RandomBody(600, seed: 13);

    private readonly InMemoryNetwork _network = new();
    private readonly FakeTimeProvider _time = new();
    private readonly List<byte[]> _received = [];
    private readonly List<CoapMessage> _arrived = [];
    private readonly TestResource _resource;
    private readonly CoapEndpointOptions _options = new();
    private CoapEndpoint? _server;
    private CoapServerPipeline? _pipeline;

    public OuterBlock1Tests()
    {
        _resource = new TestResource(context =>
        {
            lock (_received)
            {
                _received.Add(context.Request.Payload.ToArray());
            }

            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static OscoreSecurityContext ClientContext() => new(new OscoreContextParameters(Secret, [0x01], [], []));

    private static OscoreSecurityContext ServerContext() => new(new OscoreContextParameters(Secret, [], [0x01], []));

    private void StartServer()
    {
        var tree = new ResourceTree();
        tree.Map("upload", _resource);
        var table = new OscoreContextTable();
        table.Add("c1", ServerContext());
        _server = new CoapEndpoint(_options, sender => new Recording(_pipeline = new CoapServerPipeline(tree, null, _options, _time, sender, null, null, table), _arrived), _time, new Random(7), null);
        _server.Attach(new InMemoryTransport(TestEndpoints.ServerAddress, _network));
    }

    private CoapClient RawClient() => TestEndpoints.CreateClient(_time, _network, new CoapClientOptions { Timeout = TimeSpan.FromSeconds(5) });

    private static CoapMessage ProtectedPut(OscoreSecurityContext context, out OscoreRequestBinding binding)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = CoapCode.Put, Payload = Body };
        request.Options.Add(OptionNumber.UriPath, "upload"u8.ToArray());
        Assert.Equal(OscoreFailure.None, context.ProtectRequest(request, out var protectedRequest, out var made));
        binding = made!;
        return protectedRequest!;
    }

    /// <summary>Sends a protected request in Outer Block1 blocks of 64 bytes until an answer is not 2.31; the answers, in order.</summary>
    private static async Task<List<CoapMessage>> SendInOuterBlocksAsync(CoapClient raw, CoapMessage protectedRequest, int blocks = int.MaxValue)
    {
        var answers = new List<CoapMessage>();
        var payload = protectedRequest.Payload;
        for (var number = 0; number * 64 < payload.Length && number < blocks; number++)
        {
            var block = BlockRequests.Derive(protectedRequest);
            var length = Math.Min(64, payload.Length - (number * 64));
            block.Payload = payload.Slice(number * 64, length);
            BlockRequests.SetBlock(block, OptionNumber.Block1, new BlockValue(number, (number * 64) + length < payload.Length, 2));
            answers.Add(await raw.SendAsync(block, TestEndpoints.ServerAddress));
            if (answers[^1].Code != CoapCode.Continue)
            {
                break;
            }
        }

        return answers;
    }

    [Fact]
    public async Task Our_server_joins_a_protected_request_sent_in_outer_block1_blocks_verifies_it_once_and_runs_it_once()
    {
        StartServer();
        await using var raw = RawClient();
        var context = ClientContext();
        var protectedRequest = ProtectedPut(context, out var binding);

        var answers = await SendInOuterBlocksAsync(raw, protectedRequest);

        Assert.Equal((protectedRequest.Payload.Length + 63) / 64, answers.Count);
        Assert.All(answers.SkipLast(1), answer => Assert.Equal(CoapCode.Continue, answer.Code));
        var last = answers[^1];
        Assert.True(last.Options.Contains(OptionNumber.Oscore), "the final response is protected");
        Assert.True(BlockRequests.TryGetBlock(last, OptionNumber.Block1, out var echoed) && echoed.Number == answers.Count - 1 && !echoed.More, "the final response carries the last Outer Block1");
        Assert.Equal(CoapCode.Changed, OscoreClientProtection.Unprotect(context, last, binding).Code);
        Assert.Equal(1, _resource.Calls);
        Assert.Equal(Body, Assert.Single(_received));
        Assert.Equal(0, _pipeline!.Block1.PendingUploads);
    }

    [Fact]
    public async Task An_outer_block1_upload_that_fails_verification_once_whole_is_refused_and_never_processed()
    {
        StartServer();
        await using var raw = RawClient();
        var protectedRequest = ProtectedPut(ClientContext(), out _);
        var forged = protectedRequest.Payload.ToArray();
        forged[300] ^= 0x01;
        protectedRequest.Payload = forged;

        var answers = await SendInOuterBlocksAsync(raw, protectedRequest);

        Assert.Equal((protectedRequest.Payload.Length + 63) / 64, answers.Count);
        Assert.All(answers.SkipLast(1), answer => Assert.Equal(CoapCode.Continue, answer.Code));
        Assert.Equal(CoapCode.BadRequest, answers[^1].Code);
        Assert.False(answers[^1].Options.Contains(OptionNumber.Oscore), "§8.2: the refusal is unprotected");
        Assert.Equal(0, _resource.Calls);
        Assert.Equal(0, _pipeline!.Block1.PendingUploads);
    }

    [Fact]
    public async Task An_unfinished_outer_block1_upload_counts_against_the_upload_limits_and_expires()
    {
        StartServer();
        await using var raw = RawClient();
        var protectedRequest = ProtectedPut(ClientContext(), out _);

        var answers = await SendInOuterBlocksAsync(raw, protectedRequest, blocks: 3);

        Assert.All(answers, answer => Assert.Equal(CoapCode.Continue, answer.Code));
        Assert.Equal(1, _pipeline!.Block1.PendingUploads);
        Assert.True(_pipeline.Block1.PendingBytes >= 192, $"{_pipeline.Block1.PendingBytes} bytes counted");
        _time.Advance(_options.Transmission.ExchangeLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(0, _pipeline.Block1.PendingUploads);
        Assert.Equal(0, _pipeline.Block1.PendingBytes);
        Assert.Equal(0, _resource.Calls);
    }

    [Fact]
    public async Task An_outer_block1_upload_beyond_the_body_limit_is_refused_with_413_and_what_it_held_is_freed()
    {
        _options.MaxBodySize = 256;
        StartServer();
        await using var raw = RawClient();
        var protectedRequest = ProtectedPut(ClientContext(), out _);

        var answers = await SendInOuterBlocksAsync(raw, protectedRequest);

        Assert.Equal(CoapCode.RequestEntityTooLarge, answers[^1].Code);
        Assert.Equal(256u, answers[^1].Options.GetUInt(OptionNumber.Size1));
        Assert.Equal(5, answers.Count);
        Assert.Equal(0, _pipeline!.Block1.PendingUploads);
        Assert.Equal(0, _resource.Calls);
    }

    [Fact]
    public async Task Our_client_with_outer_blockwise_protects_a_large_request_once_and_sends_it_in_outer_block1_blocks()
    {
        StartServer();
        var context = ClientContext();
        await using var client = TestEndpoints.CreateClient(_time, _network, new CoapClientOptions
        {
            Timeout = TimeSpan.FromSeconds(5),
            BlockSize = 64,
            Oscore = context,
            OscoreOuterBlockwise = true,
        });
        var before = context.Snapshot().NextToSend;

        var response = await client.PutAsync($"coap://127.0.0.1:{TestEndpoints.ServerAddress.Port}/upload", Body);

        Assert.Equal(CoapCode.Changed, response.Code);
        Assert.Equal(Body, Assert.Single(_received));
        Assert.Equal(before + 1, context.Snapshot().NextToSend);
        CoapMessage[] arrived;
        lock (_arrived)
        {
            arrived = [.. _arrived];
        }

        Assert.True(arrived.Length >= 10, $"{arrived.Length} requests");
        Assert.All(arrived, request => Assert.True(request.Options.Contains(OptionNumber.Oscore) && request.Options.Contains(OptionNumber.Block1), "an Outer Block1 block of the protected request"));
        Assert.Single(arrived.Select(request => request.Options.TryGet(OptionNumber.Oscore, out var option) ? Convert.ToHexString(option.Value.Span) : "").Distinct());
    }

    /// <summary>The server's pipeline, noting each request as it arrives.</summary>
    private sealed class Recording(CoapServerPipeline pipeline, List<CoapMessage> arrived) : IRequestDispatcher
    {
        public ValueTask<CoapMessage> DispatchAsync(CoapMessage request, CoapPeer peer, CancellationToken aborted)
        {
            lock (arrived)
            {
                arrived.Add(request);
            }

            return pipeline.DispatchAsync(request, peer, aborted);
        }

        public bool ChangesNeedVerifiedPeer(CoapMessage request) => pipeline.ChangesNeedVerifiedPeer(request);

        public bool OnUnmatchedReset(CoapPeer peer, ushort messageId) => pipeline.OnUnmatchedReset(peer, messageId);

        public void OnUnreachable(CoapPeer peer) => pipeline.OnUnreachable(peer);

        public void OnStopping() => pipeline.OnStopping();
    }
}
