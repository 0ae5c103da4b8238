using System.Formats.Cbor;
using System.Security.Cryptography;

namespace Coap.Engine.Oscore;

/// <summary>
/// The keys and Common IV of a security context (RFC 8613 §3.2.1): HKDF-SHA256 of the Master Secret with the Master
/// Salt, info = [id, id_context, alg_aead, type, L] in CBOR.
/// </summary>
public static class OscoreKeyDerivation
{
    /// <summary>A Sender or Recipient Key: type "Key", L = 16.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> masterSalt, ReadOnlySpan<byte> id, byte[]? idContext) =>
        Derive(masterSecret, masterSalt, Info(id, idContext, "Key", OscoreAlgorithm.KeyLength), OscoreAlgorithm.KeyLength);

    /// <summary>The Common IV: id empty, type "IV", L = 13.</summary>
    public static byte[] DeriveCommonIv(ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> masterSalt, byte[]? idContext) =>
        Derive(masterSecret, masterSalt, Info([], idContext, "IV", OscoreAlgorithm.NonceLength), OscoreAlgorithm.NonceLength);

    /// <summary>The CBOR info array; an absent ID Context is CBOR null, a present (even empty) one a byte string.</summary>
    public static byte[] Info(ReadOnlySpan<byte> id, byte[]? idContext, string type, int length)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartArray(5);
        writer.WriteByteString(id);
        if (idContext is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteByteString(idContext);
        }

        writer.WriteInt32(OscoreAlgorithm.CoseValue);
        writer.WriteTextString(type);
        writer.WriteInt32(length);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static byte[] Derive(ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> masterSalt, byte[] info, int length)
    {
        var output = new byte[length];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, masterSecret, output, masterSalt, info);
        return output;
    }
}
