using System.Formats.Cbor;

namespace Coap.Engine.Oscore;

/// <summary>
/// The additional authenticated data (RFC 8613 §5.4): the external AAD [oscore_version = 1, [alg_aead], request_kid,
/// request_piv, options = h''] wrapped in the COSE Enc_structure ["Encrypt0", h'', external_aad].
/// </summary>
public static class OscoreAad
{
    public static byte[] ExternalAad(ReadOnlySpan<byte> requestKid, ReadOnlySpan<byte> requestPiv)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartArray(5);
        writer.WriteInt32(1);
        writer.WriteStartArray(1);
        writer.WriteInt32(OscoreAlgorithm.CoseValue);
        writer.WriteEndArray();
        writer.WriteByteString(requestKid);
        writer.WriteByteString(requestPiv);
        writer.WriteByteString([]);
        writer.WriteEndArray();
        return writer.Encode();
    }

    public static byte[] Build(ReadOnlySpan<byte> requestKid, ReadOnlySpan<byte> requestPiv)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartArray(3);
        writer.WriteTextString("Encrypt0");
        writer.WriteByteString([]);
        writer.WriteByteString(ExternalAad(requestKid, requestPiv));
        writer.WriteEndArray();
        return writer.Encode();
    }
}
