using System.Text;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Coap.Engine.Tests.Server;

/// <summary>
/// The wrong answers the engine gave to datagrams a fuzzer sent (each datagram as it was found, in hex): the RFC's
/// answer is asserted for each.
/// </summary>
public sealed class FuzzFindingTests
{
    [Fact]
    public async Task A_4_byte_observe_option_is_ignored_as_an_invalid_elective_option()
    {
        var resource = TestObservableResource.Text(() => "now");
        await using var server = new ServerFixture(t => t.Map("time", resource, TestObservableResource.Metadata));

        server.Peer.SendRaw(Convert.FromHexString("410130054564000000005474696d65"));
        var reply = server.Peer.Expect();

        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.Null(reply.Observe);
        Assert.Equal(0, resource.Observers.Count);
    }

    [Fact]
    public async Task Block2_with_szx_7_is_4_00()
    {
        await using var server = new ServerFixture(t => t.Map("time", TestResource.Text("now")));

        server.Peer.SendRaw(Convert.FromHexString("4101300646b474696d65c107"));

        Assert.Equal(CoapCode.BadRequest, server.Peer.Expect().Code);
    }

    [Fact]
    public async Task Block1_with_szx_7_is_4_00()
    {
        await using var server = new ServerFixture(t => t.Map("time", TestResource.Text("now")));
        var request = ServerFixture.Request(CoapCode.Put, "time", 1);
        request.Options.Add(new CoapOption(OptionNumber.Block1, new byte[] { 0x0F }));
        request.Payload = new byte[16];

        server.Peer.Send(request);

        Assert.Equal(CoapCode.BadRequest, server.Peer.Expect().Code);
    }

    [Fact]
    public async Task A_con_reusing_the_message_id_of_a_non_is_acknowledged()
    {
        await using var server = new ServerFixture(t => t.Map("time", TestResource.Text("now")));
        server.Peer.SendRaw(Convert.FromHexString("5101300747b474696d65"));
        Assert.Equal(CoapMessageType.NonConfirmable, server.Peer.Expect().Type);

        server.Peer.SendRaw(Convert.FromHexString("4101300747b474696d65"));
        var reply = server.Peer.Expect();

        Assert.Equal(CoapMessageType.Acknowledgement, reply.Type);
        Assert.Equal(0x3007, reply.MessageId);
        Assert.Equal(CoapCode.Content, reply.Code);
    }

    [Fact]
    public async Task A_diagnostic_quoting_the_request_is_cut_to_128_bytes_at_a_character_boundary()
    {
        var quoted = string.Concat(Enumerable.Repeat("é", 1500));
        await using var server = new ServerFixture(t => t.Map("echo", new TestResource(_ =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.BadRequest, Encoding.UTF8.GetBytes("bad value " + quoted))))));

        server.Peer.Send(ServerFixture.Request(CoapCode.Post, "echo", 1));
        var reply = server.Peer.Expect();

        Assert.Equal(CoapCode.BadRequest, reply.Code);
        Assert.InRange(reply.Payload.Length, 120, 128);
        Assert.StartsWith("bad value éé", new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(reply.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_diagnostic_is_never_larger_than_the_block_size_the_request_asked_for()
    {
        await using var server = new ServerFixture(t => t.Map("echo", new TestResource(_ =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.NotFound, Encoding.UTF8.GetBytes(new string('x', 3000)))))));
        var request = ServerFixture.Request(CoapCode.Get, "echo", 1);
        request.Options.Add(new BlockValue(0, false, 0).ToOption(OptionNumber.Block2));

        server.Peer.Send(request);

        Assert.Equal(16, server.Peer.Expect().Payload.Length);
    }

    [Fact]
    public async Task An_error_response_with_a_content_format_is_not_cut()
    {
        var body = new byte[100];
        await using var server = new ServerFixture(
            t => t.Map("echo", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.NotFound, body, ContentFormat.Cbor)))),
            new CoapEndpointOptions { MaxBlockSize = 1024 });

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "echo", 1));

        Assert.Equal(100, server.Peer.Expect().Payload.Length);
    }
}
