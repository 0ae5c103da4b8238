using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Client;

/// <summary>
/// Q-Block (RFC 9177) probes challenged with 4.01 and an Echo (RFC 9175 §2.3): the probe goes once more with the Echo
/// and Q-Block goes on, as every other request of the client; a 4.01 never counts as a server without Q-Block.
/// </summary>
public sealed class QBlockEchoTests
{
    private const int Size = 64;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly byte[] EchoValue = [9, 8, 7, 6, 5, 4, 3, 2];
    private static readonly byte[] Body = Enumerable.Range(0, 3 * Size).Select(i => (byte)(i * 7)).ToArray();

    private static List<int> Blocks(CoapMessage message, ushort option) =>
        message.Options.Where(o => o.Number == option).Select(o => BlockValue.TryDecode(o.Value.Span, out var block) ? (int)block.Number : -1).ToList();

    private static byte[]? EchoOf(CoapMessage message) =>
        message.Options.TryGet(OptionNumber.Echo, out var echo) ? echo.Value.ToArray() : null;

    private static void Challenge(ClientLockstep peer, CoapMessage request) =>
        peer.Reply(request, CoapCode.Unauthorized, options: m => m.Options.Add(OptionNumber.Echo, EchoValue));

    private static ReadOnlyMemory<byte> Block(int number) => Body.AsMemory(number * Size, Size);

    [Fact]
    public async Task A_challenged_q_block1_probe_is_repeated_with_the_echo_and_the_upload_goes_on_by_q_block()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = Size });
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Put, Body, ContentFormat.OctetStream), CoapUri.Parse(ClientLockstep.Uri("up")));

        var probe = await peer.NextAsync();
        Assert.Equal([0], Blocks(probe, OptionNumber.QBlock1));
        Challenge(peer, probe);

        var repeated = await peer.NextAsync();
        Assert.Equal(CoapMessageType.Confirmable, repeated.Type);
        Assert.Equal([0], Blocks(repeated, OptionNumber.QBlock1));
        Assert.Equal(EchoValue, EchoOf(repeated));
        Assert.Equal(probe.Options.Single(o => o.Number == OptionNumber.RequestTag).Value.ToArray(), repeated.Options.Single(o => o.Number == OptionNumber.RequestTag).Value.ToArray());
        Assert.Equal(Block(0).ToArray(), repeated.Payload.ToArray());
        peer.Reply(repeated, CoapCode.Continue, options: m => m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.QBlock1)));

        var next = await peer.NextAsync();
        Assert.Equal(CoapMessageType.NonConfirmable, next.Type);
        Assert.Equal([1], Blocks(next, OptionNumber.QBlock1));
        peer.Notify(next.Token, CoapMessageType.NonConfirmable, CoapCode.Changed, default);
        Assert.Equal(CoapCode.Changed, (await pending.WaitAsync(Patience)).Code);
        Assert.False(peer.Client.IsKnownWithoutQBlock(ClientLockstep.Server));
    }

    [Fact]
    public async Task A_challenged_q_block2_probe_is_repeated_with_the_echo_and_the_download_goes_on_by_q_block()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = Size });
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Get, default, null), CoapUri.Parse(ClientLockstep.Uri("big")));
        var probe = await ProbeAsync(peer);
        Challenge(peer, probe);

        var repeated = await peer.NextAsync();
        Assert.Equal(CoapMessageType.Confirmable, repeated.Type);
        Assert.Equal([1], Blocks(repeated, OptionNumber.QBlock2));
        Assert.Equal(EchoValue, EchoOf(repeated));
        peer.Reply(repeated, CoapCode.Content, Block(1), m => m.Options.Set(new BlockValue(1, true, 2).ToOption(OptionNumber.QBlock2)));

        var set = await peer.NextAsync();
        Assert.Equal([2], Blocks(set, OptionNumber.QBlock2));
        peer.Notify(set.Token, CoapMessageType.NonConfirmable, CoapCode.Content, Block(2), m => m.Options.Set(new BlockValue(2, false, 2).ToOption(OptionNumber.QBlock2)));
        Assert.Equal(Body, (await pending.WaitAsync(Patience)).Payload.ToArray());
        Assert.False(peer.Client.IsKnownWithoutQBlock(ClientLockstep.Server));
    }

    [Fact]
    public async Task A_q_block2_probe_refused_with_4_01_ends_the_download_with_it_and_the_server_keeps_its_q_block()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { BlockSize = Size });
        var pending = peer.Client.SendAsync(peer.Client.NewRequest(CoapCode.Get, default, null), CoapUri.Parse(ClientLockstep.Uri("big")));
        var probe = await ProbeAsync(peer);
        peer.Reply(probe, CoapCode.Unauthorized);

        Assert.Equal(CoapCode.Unauthorized, (await pending.WaitAsync(Patience)).Code);
        Assert.False(peer.Client.IsKnownWithoutQBlock(ClientLockstep.Server));
        Assert.True(peer.IsQuiet);
    }

    /// <summary>Answers the GET with block 0 of three and returns the Q-Block2 probe that follows.</summary>
    private static async Task<CoapMessage> ProbeAsync(ClientLockstep peer)
    {
        var get = await peer.NextAsync();
        peer.Reply(get, CoapCode.Content, Block(0), m =>
        {
            m.Options.Set(new BlockValue(0, true, 2).ToOption(OptionNumber.Block2));
            m.Options.SetUInt(OptionNumber.Size2, (uint)Body.Length);
        });
        var probe = await peer.NextAsync();
        Assert.Equal([1], Blocks(probe, OptionNumber.QBlock2));
        return probe;
    }
}
