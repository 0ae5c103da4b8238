using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coap.Cli.Output;

namespace Coap.Cli.Tests.Cbor;

/// <summary>
/// The CLI's diagnostic notation of every RFC 8949 Appendix A example: the vector's own notation, or its decoded JSON
/// value written the way the printer writes it (a bignum as tag 2 or 3, an indefinite-length string joined).
/// </summary>
public sealed partial class AppendixAPrintingTests
{
    [Fact]
    public void All_82_vectors_are_present()
    {
        Assert.Equal(82, AppendixAVectors.Count);
    }

    [Theory]
    [MemberData(nameof(AppendixAVectors.All), MemberType = typeof(AppendixAVectors))]
    public void Vector_prints_as_its_diagnostic_notation(int index)
    {
        var vector = AppendixAVectors.Get(index);
        var bytes = Convert.FromHexString(vector.GetProperty("hex").GetString()!);
        var expected = vector.TryGetProperty("decoded", out var decoded)
            ? Expected(decoded)
            : Chunks().Replace(vector.GetProperty("diagnostic").GetString()!, m => "h'" + string.Concat(m.Groups[1].Captures) + "'");

        Assert.Equal(expected, CborText.TryFormat(bytes));
    }

    /// <summary>A JSON value as the printer shows it; a float keeps the vector's own digits (R format: 1E+300 for 1.0e+300).</summary>
    private static string Expected(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0 => value.GetRawText().ToUpperInvariant().Replace(".0E", "E", StringComparison.Ordinal),
        JsonValueKind.Number => Integer(BigInteger.Parse(value.GetRawText(), CultureInfo.InvariantCulture)),
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Expected)) + "]",
        JsonValueKind.Object => "{" + string.Join(", ", value.EnumerateObject().Select(p => Quote(p.Name) + ": " + Expected(p.Value))) + "}",
        _ => throw new ArgumentException($"unexpected JSON {value.ValueKind}", nameof(value)),
    };

    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>An integer beyond 64 bits is a bignum (RFC 8949 §3.4.3): tag 2 or 3 around the big-endian magnitude.</summary>
    private static string Integer(BigInteger value) =>
        value > ulong.MaxValue || value < -(BigInteger)ulong.MaxValue - 1
            ? $"{(value.Sign > 0 ? 2 : 3)}(h'{Convert.ToHexStringLower((value.Sign > 0 ? value : -1 - value).ToByteArray(isUnsigned: true, isBigEndian: true))}')"
            : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>(_ h'0102', h'030405'): the chunks of an indefinite-length byte string.</summary>
    [GeneratedRegex(@"\(_ (?:h'([0-9a-f]*)'(?:, )?)+\)")]
    private static partial Regex Chunks();
}
