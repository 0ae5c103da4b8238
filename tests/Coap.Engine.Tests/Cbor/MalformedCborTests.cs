using System.Formats.Cbor;

namespace Coap.Engine.Tests.Cbor;

/// <summary>Input that is not well-formed gets a CborContentException naming the problem; nothing else escapes.</summary>
public sealed class MalformedCborTests
{
    [Theory]
    [InlineData("", "ends")]
    [InlineData("18", "truncated")]
    [InlineData("1901", "truncated")]
    [InlineData("1b00000000", "truncated")]
    [InlineData("6261", "past the end")]
    [InlineData("8201", "cannot hold")]
    [InlineData("a101", "cannot hold")]
    [InlineData("fa0000", "truncated")]
    [InlineData("1c", "Reserved additional information 28")]
    [InlineData("3d", "Reserved additional information 29")]
    [InlineData("5e", "Reserved additional information 30")]
    [InlineData("ff", "outside an indefinite-length item")]
    [InlineData("8101ff", "after the root item")]
    [InlineData("0000", "after the root item")]
    [InlineData("9f01", "ends")]
    [InlineData("6203c3", "UTF-8")]
    [InlineData("62c328", "UTF-8")]
    [InlineData("f810", "one-byte form")]
    [InlineData("a201020103", "Duplicate map key")]
    [InlineData("5f6161ff", "indefinite-length string")]
    [InlineData("5f5f4101ffff", "indefinite-length string")]
    [InlineData("bf01ff", "incomplete item")]
    [InlineData("9fc1ff", "incomplete item")]
    [InlineData("9bffffffffffffffff", "cannot hold")]
    public void Malformed_input_is_a_content_error(string hex, string message)
    {
        var reader = new CborReader(Convert.FromHexString(hex));

        var error = Assert.Throws<CborContentException>(() =>
        {
            CborDiagnostic.Read(reader);
            reader.PeekState();
        });

        Assert.Contains(message, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_without_a_stack_overflow()
    {
        var bytes = Enumerable.Repeat((byte)0x81, 100_000).Append((byte)0x00).ToArray();

        var error = Assert.Throws<CborContentException>(() => new CborReader(bytes).SkipValue());

        Assert.Contains("Nesting deeper than 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lax_mode_accepts_duplicate_keys_and_replaces_bad_utf8()
    {
        var duplicates = new CborReader(Convert.FromHexString("a201020103"), CborConformanceMode.Lax);
        var badText = new CborReader(Convert.FromHexString("62c328"), CborConformanceMode.Lax);

        Assert.Equal("{1: 2, 1: 3}", CborDiagnostic.Read(duplicates));
        Assert.Equal("\uFFFD(", badText.ReadTextString());
    }

    [Theory]
    [InlineData("c1f97e00")]
    [InlineData("c1fb7ff0000000000000")]
    [InlineData("c1fbfff0000000000000")]
    public void Epoch_time_that_is_not_a_finite_number_is_a_content_error(string hex)
    {
        var error = Assert.Throws<CborContentException>(() => new CborReader(Convert.FromHexString(hex)).ReadUnixTimeSeconds());

        Assert.Contains("finite", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c1fb7e37e43c8800759c")]
    [InlineData("c11b7fffffffffffffff")]
    public void Epoch_time_past_what_a_date_can_hold_is_out_of_range(string hex)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CborReader(Convert.FromHexString(hex)).ReadUnixTimeSeconds());
    }

    [Fact]
    public void Reading_the_wrong_type_is_an_invalid_operation_and_leaves_the_reader_usable()
    {
        var reader = new CborReader(Convert.FromHexString("6161"));

        Assert.Throws<InvalidOperationException>(() => reader.ReadInt32());
        Assert.Equal("a", reader.ReadTextString());
    }

    [Fact]
    public void Integer_outside_the_requested_width_is_an_overflow()
    {
        Assert.Throws<OverflowException>(() => new CborReader(Convert.FromHexString("1bffffffffffffffff")).ReadInt64());
        Assert.Throws<OverflowException>(() => new CborReader(Convert.FromHexString("1a80000000")).ReadInt32());
        Assert.Equal(long.MinValue, new CborReader(Convert.FromHexString("3b7fffffffffffffff")).ReadInt64());
    }

    [Fact]
    public void Random_bytes_never_raise_anything_but_a_content_error()
    {
        var random = new Random(8949);
        var wellFormed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(1, 24)];
            random.NextBytes(bytes);
            try
            {
                var reader = new CborReader(bytes, CborConformanceMode.Lax, allowMultipleRootLevelValues: true);
                while (reader.PeekState() != CborReaderState.Finished)
                {
                    reader.SkipValue();
                }

                wellFormed++;
            }
            catch (CborContentException)
            {
            }
        }

        Assert.InRange(wellFormed, 100, 19_900);
    }
}
