using System.Net;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Client;

/// <summary>The client's answer to 4.01 with Echo (RFC 9175 §2.3): the request once more with the Echo value.</summary>
public sealed class ClientEchoTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly byte[] EchoValue = [9, 8, 7, 6, 5, 4, 3, 2];

    private static void Challenge(ClientLockstep peer, CoapMessage request) =>
        peer.Reply(request, CoapCode.Unauthorized, options: m => m.Options.Add(OptionNumber.Echo, EchoValue));

    private static byte[]? EchoOf(CoapMessage message) =>
        message.Options.TryGet(OptionNumber.Echo, out var echo) ? echo.Value.ToArray() : null;

    [Fact]
    public async Task Request_is_repeated_once_with_the_echo_value()
    {
        await using var peer = new ClientLockstep();
        var pending = peer.Client.PutAsync(ClientLockstep.Uri("lock"), "0"u8.ToArray(), ContentFormat.TextPlain);

        var first = await peer.NextAsync();
        Assert.Null(EchoOf(first));
        Challenge(peer, first);
        var second = await peer.NextAsync();

        Assert.Equal(EchoValue, EchoOf(second));
        Assert.Equal(CoapCode.Put, second.Code);
        Assert.Equal("/lock", second.GetUriPath());
        Assert.Equal("0"u8.ToArray(), second.Payload.ToArray());
        Assert.Equal(ContentFormat.TextPlain, second.ContentFormat);
        Assert.NotEqual(first.MessageId, second.MessageId);
        peer.Reply(second, CoapCode.Changed);
        Assert.Equal(CoapCode.Changed, (await pending.WaitAsync(Patience)).Code);
    }

    [Fact]
    public async Task A_second_challenge_is_the_response()
    {
        await using var peer = new ClientLockstep();
        var pending = peer.Client.GetAsync(ClientLockstep.Uri("x"));

        Challenge(peer, await peer.NextAsync());
        Challenge(peer, await peer.NextAsync());

        Assert.Equal(CoapCode.Unauthorized, (await pending.WaitAsync(Patience)).Code);
        Assert.True(peer.IsQuiet);
    }

    [Fact]
    public async Task A_challenge_for_a_later_block_repeats_that_block()
    {
        await using var peer = new ClientLockstep();
        var pending = peer.Client.GetAsync(ClientLockstep.Uri("big"));

        var first = await peer.NextAsync();
        peer.Reply(first, CoapCode.Content, new byte[16], m => m.Options.Set(new BlockValue(0, true, 0).ToOption(OptionNumber.Block2)));
        var block1 = await peer.NextAsync();
        Challenge(peer, block1);
        var repeated = await peer.NextAsync();

        Assert.Equal(EchoValue, EchoOf(repeated));
        Assert.True(repeated.Options.TryGet(OptionNumber.Block2, out var block));
        Assert.True(BlockValue.TryDecode(block.Value.Span, out var value));
        Assert.Equal(1, value.Number);
        peer.Reply(repeated, CoapCode.Content, new byte[5], m => m.Options.Set(new BlockValue(1, false, 0).ToOption(OptionNumber.Block2)));
        Assert.Equal(21, (await pending.WaitAsync(Patience)).Payload.Length);
    }

    [Fact]
    public async Task Observe_registration_is_repeated_with_the_echo_on_the_same_token()
    {
        await using var peer = new ClientLockstep();
        var notifications = peer.Client.ObserveAsync(ClientLockstep.Uri("time")).GetAsyncEnumerator();
        var moving = notifications.MoveNextAsync();

        var register = await peer.NextAsync();
        Challenge(peer, register);
        var again = await peer.NextAsync();

        Assert.Equal(0, again.Observe);
        Assert.Equal(register.Token, again.Token);
        Assert.Equal(EchoValue, EchoOf(again));
        peer.Reply(again, CoapCode.Content, "12:00"u8.ToArray(), m => m.Observe = 2);
        Assert.True(await moving.AsTask().WaitAsync(Patience));
        Assert.Equal(CoapCode.Content, notifications.Current.Code);

        var disposing = notifications.DisposeAsync().AsTask();
        peer.Reply(await peer.NextAsync(), CoapCode.Content);
        await disposing.WaitAsync(Patience);
    }

    [Fact]
    public async Task Client_gets_a_large_resource_from_a_server_that_does_not_trust_its_address()
    {
        var time = new FakeTimeProvider();
        var network = new InMemoryNetwork();
        var tree = new ResourceTree();
        var body = new byte[3000];
        Random.Shared.NextBytes(body);
        var resource = new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, body, ContentFormat.OctetStream)));
        tree.Map("big", resource);
        await using var server = TestEndpoints.StartServer(tree, time, new CoapEndpointOptions { LoopbackPeersVerified = false }, network).Endpoint;
        await using var client = TestEndpoints.CreateClient(time, network);

        var response = await client.GetAsync($"coap://{IPAddress.Loopback}:{TestEndpoints.ServerAddress.Port}/big").WaitAsync(Patience);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(body, response.Payload.ToArray());
        Assert.Equal(4, resource.Calls);
    }
}
