namespace System.Formats.Cbor;

/// <summary>What the next data item is (RFC 8949 §3), as System.Formats.Cbor names it.</summary>
public enum CborReaderState
{
    Undefined,
    UnsignedInteger,
    NegativeInteger,
    ByteString,
    StartIndefiniteLengthByteString,
    EndIndefiniteLengthByteString,
    TextString,
    StartIndefiniteLengthTextString,
    EndIndefiniteLengthTextString,
    StartArray,
    EndArray,
    StartMap,
    EndMap,
    Tag,
    SimpleValue,
    HalfPrecisionFloat,
    SinglePrecisionFloat,
    DoublePrecisionFloat,
    Null,
    Boolean,
    Finished,
}
