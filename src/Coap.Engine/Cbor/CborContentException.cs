namespace System.Formats.Cbor;

/// <summary>The data is not well-formed or not valid CBOR (RFC 8949 §5); the message says where and why.</summary>
public sealed class CborContentException : Exception
{
    public CborContentException(string message)
        : base(message)
    {
    }

    public CborContentException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
