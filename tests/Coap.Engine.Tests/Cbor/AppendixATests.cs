using System.Formats.Cbor;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Coap.Engine.Tests.Cbor;

/// <summary>Every RFC 8949 Appendix A example decodes to its value and, where marked round-trip, encodes back to its bytes.</summary>
public sealed class AppendixATests
{
    [Fact]
    public void All_82_vectors_are_present()
    {
        Assert.Equal(82, AppendixAVectors.Count);
    }

    [Theory]
    [MemberData(nameof(AppendixAVectors.All), MemberType = typeof(AppendixAVectors))]
    public void Vector_decodes_to_its_value(int index)
    {
        var vector = AppendixAVectors.Get(index);
        var bytes = Convert.FromHexString(vector.GetProperty("hex").GetString()!);
        var reader = new CborReader(bytes);

        if (vector.TryGetProperty("decoded", out var decoded))
        {
            AssertDecoded(decoded, reader);
        }
        else
        {
            Assert.Equal(vector.GetProperty("diagnostic").GetString(), CborDiagnostic.Read(reader));
        }

        Assert.Equal(CborReaderState.Finished, reader.PeekState());
        Assert.Equal(0, reader.BytesRemaining);
    }

    [Theory]
    [MemberData(nameof(AppendixAVectors.All), MemberType = typeof(AppendixAVectors))]
    public void Round_trip_vector_encodes_back_to_the_same_bytes_and_others_to_the_same_value(int index)
    {
        var vector = AppendixAVectors.Get(index);
        var bytes = Convert.FromHexString(vector.GetProperty("hex").GetString()!);
        if (!vector.GetProperty("roundtrip").GetBoolean())
        {
            var rewritten = Transcode(bytes);
            Assert.Equal(CborDiagnostic.Read(new CborReader(bytes), joinChunks: true), CborDiagnostic.Read(new CborReader(rewritten)));
            return;
        }

        Assert.Equal(Convert.ToHexStringLower(bytes), Convert.ToHexStringLower(Transcode(bytes)));
    }

    private static byte[] Transcode(byte[] bytes)
    {
        var writer = new CborWriter();
        CborTranscoder.Copy(new CborReader(bytes), writer);
        return writer.Encode();
    }

    private static void AssertDecoded(JsonElement expected, CborReader reader)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Number:
                var raw = expected.GetRawText();
                if (raw.Contains('.', StringComparison.Ordinal) || raw.Contains('e', StringComparison.OrdinalIgnoreCase))
                {
                    var value = reader.ReadDouble();
                    Assert.Equal(double.Parse(raw, CultureInfo.InvariantCulture), value);
                    Assert.Equal(raw.StartsWith('-'), double.IsNegative(value));
                }
                else
                {
                    Assert.Equal(BigInteger.Parse(raw, CultureInfo.InvariantCulture), reader.ReadBigInteger());
                }

                break;
            case JsonValueKind.String:
                Assert.Equal(expected.GetString(), reader.ReadTextString());
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                Assert.Equal(expected.GetBoolean(), reader.ReadBoolean());
                break;
            case JsonValueKind.Null:
                reader.ReadNull();
                break;
            case JsonValueKind.Array:
                var length = reader.ReadStartArray();
                var count = 0;
                foreach (var item in expected.EnumerateArray())
                {
                    AssertDecoded(item, reader);
                    count++;
                }

                Assert.True(length is null || length == count);
                reader.ReadEndArray();
                break;
            case JsonValueKind.Object:
                reader.ReadStartMap();
                foreach (var property in expected.EnumerateObject())
                {
                    Assert.Equal(property.Name, reader.ReadTextString());
                    AssertDecoded(property.Value, reader);
                }

                reader.ReadEndMap();
                break;
            default:
                Assert.Fail($"Unexpected JSON kind {expected.ValueKind}.");
                break;
        }
    }
}
