namespace System.Formats.Cbor;

/// <summary>Registered CBOR tags (RFC 8949 §3.4); any other number converts to and from this type.</summary>
public enum CborTag : ulong
{
    DateTimeString = 0,
    UnixTimeSeconds = 1,
    UnsignedBigNum = 2,
    NegativeBigNum = 3,
    DecimalFraction = 4,
    BigFloat = 5,
    Base64UrlLaterEncoding = 21,
    Base64StringLaterEncoding = 22,
    Base16StringLaterEncoding = 23,
    EncodedCborDataItem = 24,
    Uri = 32,
    Base64Url = 33,
    Base64 = 34,
    Regex = 35,
    MimeMessage = 36,
    SelfDescribeCbor = 55799,
}
