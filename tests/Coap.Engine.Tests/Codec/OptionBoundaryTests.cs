using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using static Coap.Engine.Tests.Codec.MessageAssert;

namespace Coap.Engine.Tests.Codec;

/// <summary>The 4-bit delta and length fields and their 1- and 2-byte extensions (RFC 7252 §3.1).</summary>
public sealed class OptionBoundaryTests
{
    private const string Header = "40 01 00 00";

    [Theory]
    [InlineData(0, "b0")]
    [InlineData(12, "bc")]
    [InlineData(13, "bd 00")]
    [InlineData(14, "bd 01")]
    [InlineData(268, "bd ff")]
    [InlineData(269, "be 00 00")]
    [InlineData(270, "be 00 01")]
    [InlineData(1000, "be 02 db")]
    [InlineData(65804, "be ff ff")]
    public void Value_length_uses_the_right_extension(int length, string optionHead)
    {
        var value = new byte[length];
        for (var i = 0; i < length; i++)
        {
            value[i] = (byte)i;
        }

        var message = new CoapMessage { Code = CoapCode.Get };
        message.Options.Add(OptionNumber.UriPath, value);
        var expected = Hex(Header + optionHead).Concat(value).ToArray();

        var bytes = CoapMessageWriter.ToArray(message);

        Assert.Equal(expected, bytes);
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(bytes, out var decoded));
        Equal(message, decoded!);
    }

    [Theory]
    [InlineData(1, "10")]
    [InlineData(12, "c0")]
    [InlineData(13, "d0 00")]
    [InlineData(268, "d0 ff")]
    [InlineData(269, "e0 00 00")]
    [InlineData(2048, "e0 06 f3")]
    [InlineData(65000, "e0 fc db")]
    [InlineData(65535, "e0 fe f2")]
    public void Option_number_uses_the_right_delta_extension(int number, string optionHead)
    {
        var message = new CoapMessage { Code = CoapCode.Get };
        message.Options.Add((ushort)number, ReadOnlyMemory<byte>.Empty);

        var bytes = CoapMessageWriter.ToArray(message);

        Assert.Equal(Hex(Header + optionHead), bytes);
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(bytes, out var decoded));
        Assert.Equal(number, Assert.Single(decoded!.Options).Number);
    }

    [Fact]
    public void Deltas_are_relative_to_the_previous_option()
    {
        var message = new CoapMessage { Code = CoapCode.Get };
        message.Options.Add(11, new byte[] { 0x61 });
        message.Options.Add(11, ReadOnlyMemory<byte>.Empty);
        message.Options.Add(2048, new byte[] { 0x01 });
        message.Options.Add(2061, ReadOnlyMemory<byte>.Empty);
        message.Options.Add(65000, ReadOnlyMemory<byte>.Empty);

        // 11: "b1 61"; 11 again: delta 0 "00"; 2048: delta 2037 = 269 + 0x06e8; 2061: delta 13; 65000: delta 62939 = 269 + 0xf4ce.
        var expected = Hex(Header + "b1 61 00 e1 06 e8 01 d0 00 e0 f4 ce");

        var bytes = CoapMessageWriter.ToArray(message);

        Assert.Equal(expected, bytes);
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(bytes, out var decoded));
        Equal(message, decoded!);
    }

    [Fact]
    public void Delta_and_length_both_extended()
    {
        var message = new CoapMessage { Code = CoapCode.Get };
        message.Options.Add(300, new byte[300]);

        var bytes = CoapMessageWriter.ToArray(message);

        Assert.Equal(Hex(Header + "ee 00 1f 00 1f"), bytes[..9]);
        Assert.Equal(9 + 300, bytes.Length);
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(bytes, out var decoded));
        Equal(message, decoded!);
    }

    [Fact]
    public void Decoded_values_are_slices_of_the_datagram()
    {
        var bytes = Hex(Header + "b3 61 62 63 ff 7a");

        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(bytes, out var decoded));
        bytes[6] = (byte)'X';

        Assert.Equal("aXc", decoded!.Options[0].GetString());
    }
}
