using System.Formats.Cbor;
using Coap.Cli.Output;

namespace Coap.Cli.Tests.Cbor;

/// <summary>
/// Every RFC 8949 Appendix A example read and written again by System.Formats.Cbor in Strict mode, the mode the
/// services use: a vector marked round-trip comes back byte for byte (shortest integers and floats), the others to
/// the same value. The services' wire bytes rely on this.
/// </summary>
public sealed class AppendixARoundTripTests
{
    /// <summary>simple(24) in two bytes, valid in RFC 7049's table but not well-formed under RFC 8949 §3.3.</summary>
    private const string TwoByteSimple24 = "f818";

    [Theory]
    [MemberData(nameof(AppendixAVectors.All), MemberType = typeof(AppendixAVectors))]
    public void Vector_round_trips_through_the_package_in_strict_mode(int index)
    {
        var vector = AppendixAVectors.Get(index);
        var hex = vector.GetProperty("hex").GetString()!;
        var bytes = Convert.FromHexString(hex);
        if (hex == TwoByteSimple24)
        {
            Assert.Throws<CborContentException>(() => Transcode(bytes));
            return;
        }

        var rewritten = Transcode(bytes);

        if (vector.GetProperty("roundtrip").GetBoolean())
        {
            Assert.Equal(hex, Convert.ToHexStringLower(rewritten));
        }
        else
        {
            Assert.Equal(CborText.TryFormat(bytes), CborText.TryFormat(rewritten));
        }
    }

    private static byte[] Transcode(byte[] bytes)
    {
        var reader = new CborReader(bytes, CborConformanceMode.Strict);
        var writer = new CborWriter(CborConformanceMode.Strict);
        CborTranscoder.Copy(reader, writer);
        Assert.Equal(0, reader.BytesRemaining);
        return writer.Encode();
    }
}
