namespace Coap.Engine.Oscore;

/// <summary>
/// The AEAD nonce (RFC 8613 §5.2): the length of ID_PIV in one byte, ID_PIV left-padded to 7 bytes and the Partial IV
/// left-padded to 5 bytes, XORed with the Common IV.
/// </summary>
public static class OscoreNonce
{
    /// <summary>Writes the 13-byte nonce; <paramref name="idPiv"/> is the ID of the endpoint that made the Partial IV.</summary>
    public static void Build(ReadOnlySpan<byte> commonIv, ReadOnlySpan<byte> idPiv, ReadOnlySpan<byte> partialIv, Span<byte> nonce)
    {
        if (idPiv.Length > OscoreAlgorithm.MaxIdLength || partialIv.Length > 5 || commonIv.Length != OscoreAlgorithm.NonceLength)
        {
            throw new ArgumentException("ID_PIV is at most 7 bytes, a Partial IV at most 5 and the Common IV 13.");
        }

        nonce = nonce[..OscoreAlgorithm.NonceLength];
        nonce.Clear();
        nonce[0] = (byte)idPiv.Length;
        idPiv.CopyTo(nonce[(1 + OscoreAlgorithm.MaxIdLength - idPiv.Length)..]);
        partialIv.CopyTo(nonce[(OscoreAlgorithm.NonceLength - partialIv.Length)..]);
        for (var i = 0; i < OscoreAlgorithm.NonceLength; i++)
        {
            nonce[i] ^= commonIv[i];
        }
    }

    /// <summary>A sequence number as a Partial IV: big-endian without leading zeros, 0 as one zero byte (§6.1).</summary>
    public static byte[] PartialIvOf(long sequenceNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequenceNumber, OscoreAlgorithm.MaxSequenceNumber);
        var length = 1;
        while (length < 5 && (sequenceNumber >> (8 * length)) != 0)
        {
            length++;
        }

        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[length - 1 - i] = (byte)(sequenceNumber >> (8 * i));
        }

        return bytes;
    }

    /// <summary>The sequence number a Partial IV of at most 5 bytes stands for.</summary>
    public static long SequenceNumberOf(ReadOnlySpan<byte> partialIv)
    {
        long value = 0;
        foreach (var b in partialIv)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
