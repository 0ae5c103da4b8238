using System.Formats.Cbor;
using Coap.Engine.Blockwise;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>The server side of Q-Block1 (RFC 9177 §4.3) on the wire: 2.31 with the M bit, 4.08 with the missing blocks, the commit.</summary>
public sealed class QBlock1ServerTests
{
    private static readonly byte[] Body = QBlockWire.Body(4, factor: 7);
    private static readonly byte[] Tag = [1, 2, 3, 4];

    private readonly RecordingUploadResource _resource = new();

    private ServerFixture Start(CoapEndpointOptions? options = null) => new(t => t.Map("up", _resource), options);

    private static CoapMessage Block(int number, CoapMessageType type = CoapMessageType.NonConfirmable, byte[]? tag = null, int copy = 0)
    {
        var request = ServerFixture.Request(CoapCode.Put, "up", (ushort)(0x700 + number + (copy * 16)), type);
        request.Options.Add(new CoapOption(OptionNumber.RequestTag, tag ?? Tag));
        var more = (number + 1) * 64 < Body.Length;
        request.Options.Add(new BlockValue(number, more, 2).ToOption(OptionNumber.QBlock1));
        request.Payload = Body.AsMemory(number * 64, Math.Min(64, Body.Length - (number * 64)));
        return request;
    }

    private static BlockValue QBlock1(CoapMessage message) => QBlockWire.Block(message, OptionNumber.QBlock1);

    private static List<uint> Missing(CoapMessage response)
    {
        Assert.Equal(CoapCode.RequestEntityIncomplete, response.Code);
        Assert.Equal(272, response.ContentFormat);
        var reader = new CborReader(response.Payload, CborConformanceMode.Strict, allowMultipleRootLevelValues: true);
        var numbers = new List<uint>();
        while (reader.PeekState() != CborReaderState.Finished)
        {
            numbers.Add(reader.ReadUInt32());
        }

        return numbers;
    }

    [Fact]
    public async Task Blocks_out_of_order_are_acknowledged_with_2_31_and_the_m_bit_gaps_listed_in_cbor_and_the_body_committed_in_order()
    {
        await using var server = Start();
        server.Peer.Send(Block(0, CoapMessageType.Confirmable));
        Assert.Equal(new BlockValue(0, true, 2), QBlock1(server.Peer.Expect()));

        server.Peer.Send(Block(2));
        Assert.Equal([1u], Missing(server.Peer.Expect()));
        server.Peer.Send(Block(4));
        var gaps = server.Peer.Expect();
        Assert.Equal([1u, 3u], Missing(gaps));
        Assert.Equal(new byte[] { 0x01, 0x03 }, gaps.Payload.ToArray());

        server.Peer.Send(Block(1));
        Assert.Equal([3u], Missing(server.Peer.Expect()));
        Assert.False(_resource.Sinks[0].Committed);
        server.Peer.Send(Block(3));
        var final = server.Peer.Expect();

        Assert.Equal(CoapCode.Changed, final.Code);
        Assert.Equal(new BlockValue(4, false, 2), QBlock1(final));
        var sink = Assert.Single(_resource.Sinks);
        Assert.True(sink.Committed);
        Assert.Equal(Body, sink.Body.ToArray());
        Assert.Equal([0L, 64, 128, 192, 256], sink.Offsets);

        server.Peer.Send(Block(4, copy: 1));
        Assert.Equal(CoapCode.Changed, server.Peer.Expect().Code);
        Assert.Single(_resource.Sinks);
    }

    [Fact]
    public async Task A_non_block_in_order_in_the_middle_of_its_max_payloads_set_is_not_answered_the_sets_last_block_answers_for_it()
    {
        await using var server = Start(new CoapEndpointOptions { QBlock = new CoapQBlockOptions { MaxPayloads = 4 } });
        server.Peer.Send(Block(0, CoapMessageType.Confirmable));
        Assert.Equal(new BlockValue(0, true, 2), QBlock1(server.Peer.Expect()));

        server.Peer.Send(Block(1));
        server.Peer.Send(Block(2));
        server.Peer.ExpectNothing();
        server.Peer.Send(Block(3));
        var set = server.Peer.Expect();
        Assert.Equal(CoapCode.Continue, set.Code);
        Assert.Equal(new BlockValue(3, true, 2), QBlock1(set));

        // A block that came before is answered: it is how a client that heard nothing asks where the upload stands.
        server.Peer.Send(Block(2, copy: 1));
        Assert.Equal(new BlockValue(3, true, 2), QBlock1(server.Peer.Expect()));
        server.Peer.Send(Block(4));
        Assert.Equal(CoapCode.Changed, server.Peer.Expect().Code);
        Assert.Equal(Body, _resource.Sinks[0].Body.ToArray());
    }

    [Fact]
    public async Task While_a_block_is_missing_every_non_block_above_it_is_answered_with_the_list_in_the_middle_of_its_set_too()
    {
        await using var server = Start();
        server.Peer.Send(Block(0, CoapMessageType.Confirmable));
        server.Peer.Expect();

        server.Peer.Send(Block(2));
        Assert.Equal([1u], Missing(server.Peer.Expect()));
        server.Peer.Send(Block(3));
        Assert.Equal([1u], Missing(server.Peer.Expect()));
        server.Peer.Send(Block(1));
        Assert.Equal(new BlockValue(3, true, 2), QBlock1(server.Peer.Expect()));
    }

    [Fact]
    public async Task A_new_request_tag_starts_a_new_upload_beside_the_old_one()
    {
        await using var server = Start();
        server.Peer.Send(Block(0, CoapMessageType.Confirmable));
        server.Peer.Expect();
        server.Peer.Send(Block(1, CoapMessageType.Confirmable));
        Assert.Equal(new BlockValue(1, true, 2), QBlock1(server.Peer.Expect()));

        server.Peer.Send(Block(0, CoapMessageType.Confirmable, tag: [9]));
        Assert.Equal(new BlockValue(0, true, 2), QBlock1(server.Peer.Expect()));

        Assert.Equal(2, _resource.Sinks.Count);
        Assert.Equal(128, _resource.Sinks[0].Body.Length);
        Assert.Equal(64, _resource.Sinks[1].Body.Length);
    }

    [Fact]
    public async Task With_q_block_off_q_block1_is_refused_with_4_02_as_a_server_without_it_would()
    {
        await using var server = Start(new CoapEndpointOptions { QBlock = new CoapQBlockOptions { Enabled = false } });
        server.Peer.Send(Block(0, CoapMessageType.Confirmable));

        Assert.Equal(CoapCode.BadOption, server.Peer.Expect().Code);
        Assert.Empty(_resource.Sinks);
    }

    [Fact]
    public async Task A_resource_that_assembles_uploads_refuses_q_block1_with_4_02()
    {
        await using var server = new ServerFixture(t => t.Map("up", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed)))));
        server.Peer.Send(Block(0, CoapMessageType.Confirmable));

        Assert.Equal(CoapCode.BadOption, server.Peer.Expect().Code);
    }
}
