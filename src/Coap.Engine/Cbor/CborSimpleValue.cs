namespace System.Formats.Cbor;

/// <summary>Simple values (RFC 8949 §3.3); any other value 0–19 or 32–255 converts to and from this type.</summary>
public enum CborSimpleValue : byte
{
    False = 20,
    True = 21,
    Null = 22,
    Undefined = 23,
}
