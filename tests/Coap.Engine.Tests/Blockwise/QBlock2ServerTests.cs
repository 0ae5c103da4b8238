using Coap.Engine.Blockwise;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>The server side of Q-Block2 (RFC 9177 §4.4) on the wire: bursts, listed blocks, tokens, ETag, refusals.</summary>
public sealed class QBlock2ServerTests
{
    private static readonly byte[] Body = QBlockWire.Body(20, factor: 13);

    private static ServerFixture Start(CoapEndpointOptions? options = null) =>
        new(t => t.Map("big", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Body, ContentFormat.OctetStream)))), options);

    private static CoapMessage Request(params BlockValue[] blocks)
    {
        var request = ServerFixture.Request(CoapCode.Get, "big", 0x900, CoapMessageType.NonConfirmable);
        foreach (var block in blocks)
        {
            request.Options.Add(block.ToOption(OptionNumber.QBlock2));
        }

        return request;
    }

    private static BlockValue QBlock(CoapMessage message) => QBlockWire.Block(message, OptionNumber.QBlock2);

    [Fact]
    public async Task The_m_bit_asks_for_a_set_of_max_payloads_blocks_sent_as_non_with_the_request_token_and_one_etag()
    {
        await using var server = Start();
        server.Peer.Send(Request(new BlockValue(2, true, 2)));

        var set = Enumerable.Range(0, 10).Select(_ => server.Peer.Expect()).ToList();

        server.Peer.ExpectNothing();
        Assert.Equal(Enumerable.Range(2, 10), set.Select(m => QBlock(m).Number));
        Assert.All(set, m => Assert.Equal(CoapMessageType.NonConfirmable, m.Type));
        Assert.All(set, m => Assert.Equal(CoapToken.FromUInt64(0xCAFE, 2), m.Token));
        Assert.All(set, m => Assert.False(m.Options.Contains(OptionNumber.Block2)));
        Assert.Single(set.Select(m => Convert.ToHexString(m.Options.TryGet(OptionNumber.ETag, out var e) ? e.Value.Span : default)).Distinct());
        Assert.Equal(Body.AsSpan(2 * 64, 64).ToArray(), set[0].Payload.ToArray());
        Assert.All(set, m => Assert.True(QBlock(m).More));
    }

    [Fact]
    public async Task Listed_missing_blocks_are_sent_each_once_and_the_last_block_has_m_clear()
    {
        await using var server = Start();
        server.Peer.Send(Request(new BlockValue(20, false, 2), new BlockValue(3, false, 2), new BlockValue(3, false, 2)));

        var first = server.Peer.Expect();
        var second = server.Peer.Expect();

        server.Peer.ExpectNothing();
        Assert.Equal(new BlockValue(20, false, 2), QBlock(first));
        Assert.Equal(Body.AsSpan(20 * 64).ToArray(), first.Payload.ToArray());
        Assert.Equal(new BlockValue(3, true, 2), QBlock(second));
    }

    [Fact]
    public async Task A_set_stops_at_the_last_block()
    {
        await using var server = Start();
        server.Peer.Send(Request(new BlockValue(17, true, 2)));

        var numbers = new[] { server.Peer.Expect(), server.Peer.Expect(), server.Peer.Expect(), server.Peer.Expect() }.Select(QBlock).ToList();

        server.Peer.ExpectNothing();
        Assert.Equal([17, 18, 19, 20], numbers.Select(b => b.Number));
        Assert.False(numbers[^1].More);
    }

    [Fact]
    public async Task The_blocks_of_a_set_share_one_context_whose_state_is_disposed_once_the_set_is_served()
    {
        var contexts = new System.Collections.Concurrent.ConcurrentQueue<CoapRequestContext>();
        var state = new DisposalCount();
        var resource = new TestResource(c =>
        {
            contexts.Enqueue(c);
            if (c.InBlockSet)
            {
                c.BlockSetState ??= state;
            }
            else
            {
                Assert.Throws<InvalidOperationException>(() => c.BlockSetState = state);
            }

            var block = BlockwiseResponse.RequestedBlock(c);
            var start = (int)Math.Min(block.Offset, Body.Length);
            return ValueTask.FromResult(BlockwiseResponse.Create(CoapCode.Content, Body.AsMemory(start, Math.Min(Body.Length - start, block.Size)), block, Body.Length));
        });
        await using var server = new ServerFixture(t => t.Map("big", resource, new ResourceMetadata { ServesBlocks = true }));

        server.Peer.Send(Request(new BlockValue(2, true, 2)));
        var set = Enumerable.Range(0, 10).Select(_ => server.Peer.Expect()).ToList();
        var plain = ServerFixture.Request(CoapCode.Get, "big", 0x901);
        plain.Options.Add(new BlockValue(0, false, 2).ToOption(OptionNumber.Block2));
        server.Peer.Send(plain);
        var answer = server.Peer.Expect();

        Assert.Equal(Enumerable.Range(2, 10), set.Select(m => QBlock(m).Number));
        Assert.Equal(11, contexts.Count);
        Assert.Single(contexts.Take(10).Distinct());
        Assert.True(contexts.First().InBlockSet);
        Assert.False(contexts.Last().InBlockSet);
        Assert.Equal(1, state.Disposals);
        Assert.Equal(CoapCode.Content, answer.Code);
    }

    [Fact]
    public async Task With_q_block_off_the_option_is_refused_with_4_02_as_a_server_without_it_would()
    {
        await using var server = Start(new CoapEndpointOptions { QBlock = new CoapQBlockOptions { Enabled = false } });
        server.Peer.Send(Request(new BlockValue(0, true, 2)));

        Assert.Equal(CoapCode.BadOption, server.Peer.Expect().Code);
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Q_block2_on_a_put_is_refused_with_4_02()
    {
        await using var server = Start();
        var request = Request(new BlockValue(0, true, 2));
        request.Code = CoapCode.Put;
        server.Peer.Send(request);

        Assert.Equal(CoapCode.BadOption, server.Peer.Expect().Code);
    }

    private sealed class DisposalCount : IDisposable
    {
        private int _disposals;

        public int Disposals => Volatile.Read(ref _disposals);

        public void Dispose() => Interlocked.Increment(ref _disposals);
    }
}
