namespace Coap.Engine.Oscore;

/// <summary>
/// AES-CCM-16-64-128 (COSE algorithm 10, RFC 8152 §10.2), the mandatory OSCORE AEAD (RFC 8613 §3.2.1) and the only
/// one this engine speaks: a 16-byte key, a 13-byte nonce and an 8-byte tag.
/// </summary>
public static class OscoreAlgorithm
{
    public const string Name = "AES-CCM-16-64-128";

    /// <summary>The COSE algorithm value, which goes into the key derivation's info and the external AAD.</summary>
    public const int CoseValue = 10;

    public const int KeyLength = 16;

    public const int NonceLength = 13;

    public const int TagLength = 8;

    /// <summary>The longest Sender or Recipient ID the nonce can hold: nonce length minus 6 (RFC 8613 §3.3).</summary>
    public const int MaxIdLength = NonceLength - 6;

    /// <summary>Sender sequence numbers stay below 2^40 (RFC 8613 §7.2.1): a Partial IV is at most 5 bytes.</summary>
    public const long MaxSequenceNumber = (1L << 40) - 1;
}
