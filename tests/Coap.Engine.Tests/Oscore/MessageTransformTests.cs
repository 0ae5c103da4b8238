using Coap.Engine.Codec;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using static Coap.Engine.Tests.Oscore.Rfc8613Vectors;

namespace Coap.Engine.Tests.Oscore;

/// <summary>
/// The message transform beyond the vectors (RFC 8613 §4): option classes, outer codes for Observe, notifications with
/// their own Partial IV, outer block-wise dropped, and what a proxy sees on the wire.
/// </summary>
public sealed class MessageTransformTests
{
    [Fact]
    public void Only_class_U_options_and_the_oscore_option_are_visible_outside()
    {
        using var client = Context(C1Client, 0);
        var plain = CoapMessage.CreateRequest(CoapCode.Put, "/secret/path");
        plain.Options.Add(CoapOption.FromString(OptionNumber.UriHost, "example.org"));
        plain.Options.Add(CoapOption.FromUInt(OptionNumber.UriPort, 5684));
        plain.Options.Add(CoapOption.FromString(OptionNumber.ProxyScheme, "coap"));
        plain.Options.Add(CoapOption.FromUInt(OptionNumber.HopLimit, 16));
        plain.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, "q=1"));
        plain.Options.Add(CoapOption.FromUInt(OptionNumber.ContentFormat, 0));
        plain.Options.Add(new CoapOption(OptionNumber.Echo, new byte[] { 1, 2, 3 }));
        plain.Options.Add(new CoapOption(65000, new byte[] { 9 }));
        plain.Payload = "payload"u8.ToArray();

        Assert.Equal(OscoreFailure.None, client.ProtectRequest(plain, out var protectedRequest, out _));

        Assert.Equal(CoapCode.Post, protectedRequest!.Code);
        Assert.Equal(
            [OptionNumber.UriHost, OptionNumber.UriPort, OptionNumber.Oscore, OptionNumber.HopLimit, OptionNumber.ProxyScheme],
            protectedRequest.Options.Select(o => o.Number));
        var wire = CoapMessageWriter.ToArray(protectedRequest);
        Assert.Equal(-1, wire.AsSpan().IndexOf("secret"u8));
        Assert.Equal(-1, wire.AsSpan().IndexOf("payload"u8));
    }

    [Fact]
    public void A_request_round_trips_with_every_option_back_in_place()
    {
        using var client = Context(C1Client, 0);
        using var server = new OscoreSecurityContext(C1Server);
        var plain = CoapMessage.CreateRequest(CoapCode.Put, "/a/b");
        plain.Token = CoapToken.FromSpan([1, 2, 3]);
        plain.MessageId = 77;
        plain.Options.Add(CoapOption.FromString(OptionNumber.UriHost, "example.org"));
        plain.Options.Add(new BlockValue(2, true, 6).ToOption(OptionNumber.Block1));
        plain.Options.Add(CoapOption.FromUInt(OptionNumber.Size1, 4096));
        plain.Payload = new byte[1024];
        var expected = Encode(plain);

        client.ProtectRequest(plain, out var protectedRequest, out _);
        var result = server.UnprotectRequest(Decode(Encode(protectedRequest!)), MessageVectorTests.Option(Encode(protectedRequest!)));

        Assert.Equal(OscoreFailure.None, result.Failure);
        Assert.Equal(expected, Encode(result.Message!));
    }

    [Fact]
    public void Outer_block_options_of_the_protected_message_are_dropped_when_unprotecting()
    {
        using var client = Context(C1Client, 0);
        using var server = new OscoreSecurityContext(C1Server);
        var plain = CoapMessage.CreateRequest(CoapCode.Get, "/x");
        client.ProtectRequest(plain, out var protectedRequest, out _);
        var hex = Encode(protectedRequest!);
        var received = Decode(hex);
        received.Options.Add(new BlockValue(0, false, 2).ToOption(OptionNumber.Block2));
        received.Options.Add(CoapOption.FromUInt(OptionNumber.Size2, 100));

        var result = server.UnprotectRequest(received, MessageVectorTests.Option(hex));

        Assert.Equal(OscoreFailure.None, result.Failure);
        Assert.False(result.Message!.Options.Contains(OptionNumber.Block2));
        Assert.False(result.Message.Options.Contains(OptionNumber.Size2));
    }

    [Fact]
    public void Observe_registration_goes_out_as_fetch_and_notifications_as_2_05_with_their_own_partial_iv()
    {
        using var client = Context(C1Client, 0);
        using var server = Context(C1Server, 0);
        var register = CoapMessage.CreateRequest(CoapCode.Get, "/obs");
        register.Observe = 0;

        client.ProtectRequest(register, out var protectedRequest, out var clientBinding);
        Assert.Equal(CoapCode.Fetch, protectedRequest!.Code);
        Assert.Equal(0, protectedRequest.Observe);
        var hex = Encode(protectedRequest);
        var request = server.UnprotectRequest(Decode(hex), MessageVectorTests.Option(hex));
        Assert.Equal(0, request.Message!.Observe);

        var sequenceNumbers = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var notification = CoapMessage.CreateResponse(CoapCode.Content, new[] { (byte)i });
            notification.Observe = 5 + i;
            Assert.Equal(OscoreFailure.None, server.ProtectResponse(notification, request.Binding!, out var protectedNotification));
            Assert.Equal(CoapCode.Content, protectedNotification!.Code);
            Assert.Equal(5 + i, protectedNotification.Observe);

            var received = client.UnprotectResponse(Decode(Encode(protectedNotification)), clientBinding!);

            Assert.Equal(OscoreFailure.None, received.Failure);
            Assert.Equal(5 + i, received.Message!.Observe);
            Assert.Equal(new[] { (byte)i }, received.Message.Payload.ToArray());
            sequenceNumbers.Add(received.PartialIv);
        }

        // The first reuses the request's nonce; the later ones carry the server's own, increasing Partial IV.
        Assert.Equal([-1, 0, 1], sequenceNumbers);
    }

    [Fact]
    public void An_outer_observe_alone_does_not_make_a_request_a_registration()
    {
        using var client = Context(C1Client, 0);
        using var server = new OscoreSecurityContext(C1Server);
        client.ProtectRequest(CoapMessage.CreateRequest(CoapCode.Get, "/obs"), out var protectedRequest, out _);
        var hex = Encode(protectedRequest!);
        var tampered = Decode(hex);
        tampered.Options.Add(CoapOption.FromUInt(OptionNumber.Observe, 0));

        var result = server.UnprotectRequest(tampered, MessageVectorTests.Option(hex));

        Assert.Equal(OscoreFailure.None, result.Failure);
        Assert.Null(result.Message!.Observe);
    }

    [Theory]
    [InlineData("")] // no code
    [InlineData("00")] // code 0.00
    [InlineData("01f0")] // reserved option nibble
    [InlineData("01b374")] // option cut short
    [InlineData("01ff")] // payload marker without payload
    public void A_malformed_plaintext_is_refused(string hex)
    {
        Assert.False(OscorePlaintext.TryDecode(Convert.FromHexString(hex), out _));
    }
}
