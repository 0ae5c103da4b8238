using System.Formats.Cbor;
using System.Numerics;

namespace Coap.Engine.Tests.Cbor;

/// <summary>Random values written and read back come back equal (a property test with a fixed seed).</summary>
public sealed class CborRoundTripTests
{
    [Fact]
    public void Random_values_round_trip()
    {
        var random = new Random(7049);
        for (var i = 0; i < 2_000; i++)
        {
            var writer = new CborWriter();
            var expected = WriteRandom(writer, random, depth: 0);
            var reader = new CborReader(writer.Encode());

            Assert.Equal(expected, CborDiagnostic.Read(reader));
            Assert.Equal(CborReaderState.Finished, reader.PeekState());
        }
    }

    [Fact]
    public void Integer_edges_and_bignums_round_trip()
    {
        BigInteger[] values = [0, 23, 24, 255, 256, 65535, 65536, uint.MaxValue, (BigInteger)uint.MaxValue + 1, long.MaxValue, ulong.MaxValue,
            (BigInteger)ulong.MaxValue + 1, -1, -24, -25, long.MinValue, -(BigInteger)ulong.MaxValue - 1, -(BigInteger)ulong.MaxValue - 2, BigInteger.Pow(2, 100)];
        foreach (var value in values)
        {
            var writer = new CborWriter();
            writer.WriteBigInteger(value);

            Assert.Equal(value, new CborReader(writer.Encode()).ReadBigInteger());
        }
    }

    [Fact]
    public void Floats_use_the_shortest_lossless_width()
    {
        Assert.Equal("f93e00", Encode(w => w.WriteDouble(1.5)));
        Assert.Equal("fa47c35000", Encode(w => w.WriteDouble(100000.0)));
        Assert.Equal("fb3ff199999999999a", Encode(w => w.WriteDouble(1.1)));
        Assert.Equal("f97e00", Encode(w => w.WriteDouble(double.NaN)));
        Assert.Equal("f98000", Encode(w => w.WriteDouble(-0.0)));
        Assert.Equal("f90001", Encode(w => w.WriteSingle(5.960464477539063e-08f)));
    }

    [Fact]
    public void Writer_refuses_incomplete_or_overfull_containers()
    {
        var open = new CborWriter();
        open.WriteStartArray(2);
        open.WriteInt32(1);
        Assert.Throws<InvalidOperationException>(() => open.Encode());
        Assert.Throws<InvalidOperationException>(() => open.WriteEndArray());

        var full = new CborWriter();
        full.WriteStartArray(1);
        full.WriteInt32(1);
        Assert.Throws<InvalidOperationException>(() => full.WriteInt32(2));
    }

    private static string Encode(Action<CborWriter> write)
    {
        var writer = new CborWriter();
        write(writer);
        return Convert.ToHexStringLower(writer.Encode());
    }

    private static string WriteRandom(CborWriter writer, Random random, int depth)
    {
        switch (random.Next(depth > 3 ? 6 : 8))
        {
            case 0:
                var unsigned = (ulong)random.NextInt64() >> random.Next(64);
                writer.WriteUInt64(unsigned);
                return unsigned.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case 1:
                var negative = -(random.NextInt64() >> random.Next(63)) - 1;
                writer.WriteInt64(negative);
                return negative.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case 2:
                var bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                writer.WriteByteString(bytes);
                return $"h'{Convert.ToHexStringLower(bytes)}'";
            case 3:
                var text = new string(Enumerable.Range(0, random.Next(0, 20)).Select(_ => (char)random.Next(0x20, 0x7F)).Where(c => c != '"').ToArray()) + "é水";
                writer.WriteTextString(text);
                return $"\"{text}\"";
            case 4:
                var number = Math.Round(random.NextDouble() * 1e6, random.Next(0, 8)) * (random.Next(2) == 0 ? 1 : -1);
                writer.WriteDouble(number);
                return number.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            case 5:
                var flag = random.Next(2) == 0;
                writer.WriteBoolean(flag);
                return flag ? "true" : "false";
            case 6:
                var items = random.Next(0, 5);
                writer.WriteStartArray(items);
                var parts = Enumerable.Range(0, items).Select(_ => WriteRandom(writer, random, depth + 1)).ToList();
                writer.WriteEndArray();
                return $"[{string.Join(", ", parts)}]";
            default:
                var pairs = random.Next(0, 4);
                writer.WriteStartMap(pairs);
                var entries = new List<string>();
                for (var p = 0; p < pairs; p++)
                {
                    writer.WriteInt32(p);
                    entries.Add($"{p}: {WriteRandom(writer, random, depth + 1)}");
                }

                writer.WriteEndMap();
                return $"{{{string.Join(", ", entries)}}}";
        }
    }
}
