namespace System.Formats.Cbor;

/// <summary>How strictly CBOR is checked (the subset of System.Formats.Cbor's modes this codec implements).</summary>
public enum CborConformanceMode
{
    /// <summary>Well-formedness only.</summary>
    Lax,

    /// <summary>Also valid UTF-8 in text strings and no duplicate map keys (RFC 8949 §5.3, §5.6).</summary>
    Strict,
}
