using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Server;

public sealed class ServerPipelineTests
{
    [Fact]
    public async Task Unknown_path_is_4_04()
    {
        await using var server = new ServerFixture(t => t.Map("known", TestResource.Text("k")));

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "unknown", 1));

        Assert.Equal(CoapCode.NotFound, server.Peer.Expect().Code);
    }

    [Fact]
    public async Task Method_the_resource_does_not_implement_is_4_05()
    {
        await using var server = new ServerFixture(t => t.Map("ro", new ReadOnlyResource()));

        server.Peer.Send(ServerFixture.Request(CoapCode.Put, "ro", 1));
        server.Peer.Send(ServerFixture.Request(CoapCode.From(0, 9), "ro", 2));

        Assert.Equal(CoapCode.MethodNotAllowed, server.Peer.Expect().Code);
        Assert.Equal(CoapCode.MethodNotAllowed, server.Peer.Expect().Code);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(2049)]
    public async Task Unrecognised_critical_option_is_4_02(int option)
    {
        var resource = TestResource.Text("x");
        await using var server = new ServerFixture(t => t.Map("r", resource));
        var request = ServerFixture.Request(CoapCode.Get, "r", 1);
        request.Options.Add((ushort)option, new byte[] { 1 });

        server.Peer.Send(request);

        var reply = server.Peer.Expect();
        Assert.Equal(CoapCode.BadOption, reply.Code);
        Assert.Contains(option.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(reply.Payload.Span), StringComparison.Ordinal);
        Assert.Equal(0, resource.Calls);
    }

    [Fact]
    public async Task Critical_option_with_a_bad_length_or_repeated_is_4_02()
    {
        await using var server = new ServerFixture(t => t.Map("r", TestResource.Text("x")));
        var tooLong = ServerFixture.Request(CoapCode.Get, "r", 1);
        tooLong.Options.Add(OptionNumber.Accept, new byte[] { 1, 2, 3 });
        var repeated = ServerFixture.Request(CoapCode.Get, "r", 2);
        repeated.Options.Add(OptionNumber.Accept, new byte[] { 0 });
        repeated.Options.Add(OptionNumber.Accept, new byte[] { 0 });

        server.Peer.Send(tooLong);
        server.Peer.Send(repeated);

        Assert.Equal(CoapCode.BadOption, server.Peer.Expect().Code);
        Assert.Equal(CoapCode.BadOption, server.Peer.Expect().Code);
    }

    [Fact]
    public async Task Unrecognised_elective_option_is_ignored()
    {
        await using var server = new ServerFixture(t => t.Map("r", TestResource.Text("x")));
        var request = ServerFixture.Request(CoapCode.Get, "r", 1);
        request.Options.Add(2048, new byte[] { 1 });

        server.Peer.Send(request);

        Assert.Equal(CoapCode.Content, server.Peer.Expect().Code);
    }

    [Fact]
    public async Task Proxy_uri_is_5_05()
    {
        await using var server = new ServerFixture(t => t.Map("r", TestResource.Text("x")));
        var request = ServerFixture.Request(CoapCode.Get, "r", 1);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, "coap://example.org/"));

        server.Peer.Send(request);

        Assert.Equal(CoapCode.ProxyingNotSupported, server.Peer.Expect().Code);
    }

    [Fact]
    public async Task A_mapped_forward_proxy_takes_Proxy_Uri_requests_and_their_safe_options_whatever_the_path()
    {
        await using var server = new ServerFixture(t =>
        {
            t.Map("r", TestResource.Text("not the proxy"));
            t.MapForwardProxy(new TestResource(context => ValueTask.FromResult(
                CoapMessage.CreateResponse(CoapCode.Content, context.Request.Options.TryGet(OptionNumber.ProxyUri, out var uri) ? uri.Value : default))));
        });
        var forwarded = ServerFixture.Request(CoapCode.Get, "r", 1);
        forwarded.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, "coap://example.org/x"));
        forwarded.Options.Add(2053, new byte[] { 1 });
        var unsafeOption = ServerFixture.Request(CoapCode.Get, "r", 2);
        unsafeOption.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, "coap://example.org/x"));
        unsafeOption.Options.Add(2051, new byte[] { 1 });

        server.Peer.Send(forwarded);
        var answer = server.Peer.Expect();
        server.Peer.Send(unsafeOption);
        var refused = server.Peer.Expect();

        // 2053 is critical and Safe-to-Forward: a proxy forwards it unread; 2051 is critical and unsafe (RFC 7252 §5.7.2).
        Assert.Equal(CoapCode.Content, answer.Code);
        Assert.Equal("coap://example.org/x", Encoding.UTF8.GetString(answer.Payload.Span));
        Assert.Equal(CoapCode.BadOption, refused.Code);
    }

    [Fact]
    public async Task Accept_the_resource_cannot_produce_is_4_06()
    {
        var metadata = new ResourceMetadata { ContentFormats = [ContentFormat.TextPlain] };
        await using var server = new ServerFixture(t => t.Map("r", TestResource.Text("x"), metadata));
        var wrong = ServerFixture.Request(CoapCode.Get, "r", 1);
        wrong.Accept = ContentFormat.Cbor;
        var right = ServerFixture.Request(CoapCode.Get, "r", 2);
        right.Accept = ContentFormat.TextPlain;

        server.Peer.Send(wrong);
        server.Peer.Send(right);

        Assert.Equal(CoapCode.NotAcceptable, server.Peer.Expect().Code);
        Assert.Equal(CoapCode.Content, server.Peer.Expect().Code);
    }

    [Fact]
    public async Task Content_format_the_resource_does_not_accept_is_4_15()
    {
        var metadata = new ResourceMetadata { AcceptedContentFormats = [ContentFormat.Cbor] };
        await using var server = new ServerFixture(t => t.Map("r", TestResource.Text("x"), metadata));
        var request = ServerFixture.Request(CoapCode.Put, "r", 1);
        request.ContentFormat = ContentFormat.Json;
        request.Payload = "{}"u8.ToArray();

        server.Peer.Send(request);

        Assert.Equal(CoapCode.UnsupportedContentFormat, server.Peer.Expect().Code);
    }

    [Fact]
    public async Task Handler_that_throws_gets_5_00_and_the_server_keeps_answering()
    {
        await using var server = new ServerFixture(t =>
        {
            t.Map("boom", new TestResource(_ => throw new InvalidOperationException("boom")));
            t.Map("async-boom", new TestResource(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("boom");
            }));
            t.Map("ok", TestResource.Text("ok"));
        });

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "boom", 1));
        Assert.Equal(CoapCode.InternalServerError, server.Peer.Expect().Code);
        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "async-boom", 2));
        Assert.Equal(CoapCode.InternalServerError, (await server.Peer.ExpectAsync()).Code);
        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "ok", 3));
        Assert.Equal(CoapCode.Content, server.Peer.Expect().Code);
    }

    private sealed class ReadOnlyResource : CoapResource
    {
        protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context) =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
    }
}
