namespace System.Formats.Cbor;

/// <summary>The 3-bit major type of an initial byte (RFC 8949 §3.1).</summary>
internal enum CborMajorType : byte
{
    UnsignedInteger = 0,
    NegativeInteger = 1,
    ByteString = 2,
    TextString = 3,
    Array = 4,
    Map = 5,
    Tag = 6,
    Simple = 7,
}
