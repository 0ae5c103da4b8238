using System.Buffers.Binary;
using System.Text;

namespace Coap.Fuzzing;

/// <summary>
/// DNS query messages (RFC 1035 §4.1) written byte by byte, independent of the codec under test: one question, a
/// name from <see cref="Names"/> (whose first label tells <see cref="DnsAnswers"/> how to answer), an OPT record now
/// and then (RFC 6891).
/// </summary>
public static class DnsQueries
{
    /// <summary>Names the stand-in upstream answers differently: see <see cref="DnsAnswers"/>.</summary>
    public static readonly string[] Names =
    [
        "www.example.com", "example.com", "big.example.com", "gone.example.com", "empty.example.com",
        "servfail.example.com", "bad.example.com", "tc.example.com", "silent.example.com", "a.b.c.d.e.example.org", "",
    ];

    /// <summary>A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, SRV, OPT (not a question type), HTTPS, ANY, 0 and 65535.</summary>
    private static readonly ushort[] Types = [1, 2, 5, 6, 12, 15, 16, 28, 33, 41, 65, 255, 0, 65535];

    /// <summary>
    /// A query as a client would send it: ID 0 mostly (RFC 9953 §4.2), sometimes another ID or an OPT record.
    /// </summary>
    public static byte[] Next(Random random) => Build(
        random.Chance(0.8) ? (ushort)0 : (ushort)random.Next(65536),
        random.Pick(Names),
        random.Chance(0.7) ? (ushort)1 : random.Pick(Types),
        random.Chance(0.9),
        random.Chance(0.2) ? (ushort)random.Next(512, 4097) : null);

    /// <summary>A query for one name; <paramref name="ednsSize"/> adds an OPT record with that UDP payload size.</summary>
    public static byte[] Build(ushort id, string name, ushort type, bool recursionDesired = true, ushort? ednsSize = null)
    {
        var bytes = new List<byte>(64);
        AddUInt16(bytes, id);
        AddUInt16(bytes, recursionDesired ? (ushort)0x0100 : (ushort)0);
        AddUInt16(bytes, 1);
        AddUInt16(bytes, 0);
        AddUInt16(bytes, 0);
        AddUInt16(bytes, ednsSize is null ? (ushort)0 : (ushort)1);
        AddName(bytes, name);
        AddUInt16(bytes, type);
        AddUInt16(bytes, 1);
        if (ednsSize is { } size)
        {
            bytes.Add(0);
            AddUInt16(bytes, 41);
            AddUInt16(bytes, size);
            bytes.AddRange([0, 0, 0, 0, 0, 0]);
        }

        return [.. bytes];
    }

    /// <summary>Unpadded base64url, as GET ?dns= carries the query (RFC 9953 §4.2.1).</summary>
    public static string ToBase64Url(ReadOnlySpan<byte> query) =>
        Convert.ToBase64String(query).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static void AddName(List<byte> bytes, string name)
    {
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var encoded = Encoding.ASCII.GetBytes(label);
            bytes.Add((byte)encoded.Length);
            bytes.AddRange(encoded);
        }

        bytes.Add(0);
    }

    internal static void AddUInt16(List<byte> bytes, ushort value)
    {
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(two, value);
        bytes.Add(two[0]);
        bytes.Add(two[1]);
    }
}
