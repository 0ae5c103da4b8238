using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>What Q-Block1 uploads (RFC 9177 §4.3) count against the upload limits is given back whatever ends them.</summary>
public sealed class QBlock1QuotaTests
{
    private static readonly byte[] Body = QBlockWire.Body(4, factor: 3);
    private static readonly byte[] Tag = [7, 7];

    private static CoapMessage Block(int number, CoapMessageType type = CoapMessageType.NonConfirmable)
    {
        var request = ServerFixture.Request(CoapCode.Put, "up", (ushort)(0x900 + number), type);
        request.Options.Add(new CoapOption(OptionNumber.RequestTag, Tag));
        request.Options.Add(new BlockValue(number, (number + 1) * 64 < Body.Length, 2).ToOption(OptionNumber.QBlock1));
        request.Payload = Body.AsMemory(number * 64, Math.Min(64, Body.Length - (number * 64)));
        return request;
    }

    [Fact]
    public async Task A_block_held_ahead_while_its_upload_expires_counts_nothing_against_the_limits()
    {
        var resource = new RecordingUploadResource();
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        server.Peer.Send(Block(0, CoapMessageType.Confirmable));
        Assert.Equal(CoapCode.Continue, server.Peer.Expect().Code);

        // Block 1 is being written (a slow disk) and block 3, due to be held ahead, waits for its turn at the upload;
        // meanwhile the upload expires: taken out of the table, its quota given back, its sink aborted.
        var disk = new TaskCompletionSource();
        resource.Sinks[0].Hold = disk.Task;
        server.Peer.Send(Block(1));
        server.Peer.Send(Block(3));
        server.Peer.ExpectNothing();
        server.Time.Advance(server.Options.Transmission.ExchangeLifetime);
        Assert.True(resource.Sinks[0].Aborted);
        Assert.Equal(0, server.Block1.PendingUploads);
        Assert.Equal(0, server.Block1.PendingBytes);

        // Block 1, next in its set, is not answered; block 3 is, after it (it waited for block 1's turn).
        disk.SetResult();
        await server.Peer.ExpectAsync();

        Assert.Equal(0, server.Block1.PendingBytes);
    }
}
