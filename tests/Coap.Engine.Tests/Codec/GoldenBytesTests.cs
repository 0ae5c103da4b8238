using System.Buffers;
using System.Text;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using static Coap.Engine.Tests.Codec.MessageAssert;

namespace Coap.Engine.Tests.Codec;

/// <summary>Messages against bytes derived by hand from RFC 7252 §3 and the examples of its Appendix A.</summary>
public sealed class GoldenBytesTests
{
    public static TheoryData<string, CoapMessage> Cases => new()
    {
        {
            // RFC 7252 Appendix A, Figure 16: CON [0x7d34] GET /temperature.
            "40 01 7d 34 bb 74 65 6d 70 65 72 61 74 75 72 65",
            Request(CoapMessageType.Confirmable, 0x7d34, CoapToken.Empty, "temperature")
        },
        {
            // The piggybacked answer: ACK [0x7d34] 2.05 Content "22.3 C".
            "60 45 7d 34 ff 32 32 2e 33 20 43",
            Response(CoapMessageType.Acknowledgement, 0x7d34, CoapToken.Empty, "22.3 C")
        },
        {
            // Figure 17: the same exchange with the token 0x20.
            "41 01 7d 35 20 bb 74 65 6d 70 65 72 61 74 75 72 65",
            Request(CoapMessageType.Confirmable, 0x7d35, CoapToken.FromSpan([0x20]), "temperature")
        },
        {
            "61 45 7d 35 20 ff 32 32 2e 33 20 43",
            Response(CoapMessageType.Acknowledgement, 0x7d35, CoapToken.FromSpan([0x20]), "22.3 C")
        },
        {
            // NON POST, 2-byte token, Uri-Host "h", Uri-Path "a", Content-Format 40, Uri-Query "x=1", Accept 0, "hi".
            "52 02 00 01 ca fe 31 68 81 61 11 28 33 78 3d 31 20 ff 68 69",
            Multi()
        },
        {
            // Empty ACK and RST (RFC 7252 §4.2, §4.3).
            "60 00 12 34",
            CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, 0x1234)
        },
        {
            "70 00 ff ff",
            CoapMessage.CreateEmpty(CoapMessageType.Reset, 0xffff)
        },
        {
            // 4.04 with an 8-byte token and a diagnostic payload.
            "68 84 00 00 01 02 03 04 05 06 07 08 ff 6e 6f",
            new CoapMessage
            {
                Type = CoapMessageType.Acknowledgement,
                Code = CoapCode.NotFound,
                Token = CoapToken.FromSpan([1, 2, 3, 4, 5, 6, 7, 8]),
                Payload = Encoding.UTF8.GetBytes("no"),
            }
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encodes_to_the_expected_bytes(string hex, CoapMessage message)
    {
        Assert.Equal(Hex(hex), CoapMessageWriter.ToArray(message));
        Assert.Equal(Hex(hex).Length, CoapMessageWriter.GetEncodedLength(message));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decodes_from_the_expected_bytes(string hex, CoapMessage message)
    {
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(Hex(hex), out var decoded));

        Equal(message, decoded!);
    }

    [Fact]
    public void Decoded_request_exposes_its_path_and_header()
    {
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(Hex("40 01 7d 34 bb 74 65 6d 70 65 72 61 74 75 72 65"), out var decoded));

        Assert.Equal("/temperature", decoded!.GetUriPath());
        Assert.True(decoded.IsRequest);
        Assert.True(CoapHeader.TryRead(Hex("40 01 7d 34"), out var header));
        Assert.Equal(new CoapHeader(1, CoapMessageType.Confirmable, 0, CoapCode.Get, 0x7d34), header);
    }

    [Fact]
    public void Write_into_a_span_reports_length_or_too_small()
    {
        var message = Request(CoapMessageType.Confirmable, 0x7d34, CoapToken.Empty, "temperature");
        var buffer = new byte[64];

        Assert.Equal(16, CoapMessageWriter.Write(message, buffer));
        Assert.Equal(Hex("40 01 7d 34 bb 74 65 6d 70 65 72 61 74 75 72 65"), buffer[..16]);
        Assert.Equal(-1, CoapMessageWriter.Write(message, new byte[15]));
    }

    [Fact]
    public void Write_into_a_buffer_writer_advances_by_the_message_length()
    {
        var writer = new ArrayBufferWriter<byte>();

        CoapMessageWriter.Write(Response(CoapMessageType.Acknowledgement, 0x7d34, CoapToken.Empty, "22.3 C"), writer);

        Assert.Equal(Hex("60 45 7d 34 ff 32 32 2e 33 20 43"), writer.WrittenSpan.ToArray());
    }

    private static CoapMessage Request(CoapMessageType type, ushort id, CoapToken token, string path)
    {
        var message = CoapMessage.CreateRequest(CoapCode.Get, path, type);
        message.MessageId = id;
        message.Token = token;
        return message;
    }

    private static CoapMessage Response(CoapMessageType type, ushort id, CoapToken token, string payload) =>
        new() { Type = type, Code = CoapCode.Content, MessageId = id, Token = token, Payload = Encoding.UTF8.GetBytes(payload) };

    private static CoapMessage Multi()
    {
        // Added out of order on purpose: the list sorts them.
        var message = new CoapMessage { Type = CoapMessageType.NonConfirmable, Code = CoapCode.Post, MessageId = 1, Token = CoapToken.FromSpan([0xca, 0xfe]) };
        message.Accept = 0;
        message.SetUriQuery("x=1");
        message.ContentFormat = ContentFormat.LinkFormat;
        message.SetUriPath("/a");
        message.Options.Add(CoapOption.FromString(OptionNumber.UriHost, "h"));
        message.Payload = "hi"u8.ToArray();
        return message;
    }
}
