namespace Coap.Engine.Protocol;

/// <summary>The value format of an option (RFC 7252 §3.2).</summary>
public enum OptionFormat
{
    Empty,
    Opaque,
    UInt,
    String,
}
