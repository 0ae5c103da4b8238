namespace Coap.Engine.Protocol;

/// <summary>
/// A CoAP message (RFC 7252 §3): header fields, token, options and payload. A decoded message's option values
/// and payload are slices of one buffer the message owns.
/// </summary>
public sealed partial class CoapMessage
{
    public const int Version = 1;

    public CoapMessage()
        : this(new CoapOptionList())
    {
    }

    public CoapMessage(CoapOptionList options)
    {
        Options = options;
    }

    public CoapMessageType Type { get; set; }

    public CoapCode Code { get; set; }

    public ushort MessageId { get; set; }

    public CoapToken Token { get; set; }

    public CoapOptionList Options { get; }

    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>The size of the datagram the message was decoded from; 0 for a message built here.</summary>
    internal int DatagramLength { get; init; }

    public bool IsRequest => Code.IsRequest;

    public bool IsResponse => Code.IsResponse;

    public bool IsEmpty => Code.IsEmpty;

    /// <summary>A request with the given method and path ("/a/b" or "a/b").</summary>
    public static CoapMessage CreateRequest(CoapCode method, string path, CoapMessageType type = CoapMessageType.Confirmable)
    {
        var message = new CoapMessage { Type = type, Code = method };
        message.SetUriPath(path);
        return message;
    }

    /// <summary>A response with a code and an optional payload; the engine fills type, message ID and token.</summary>
    public static CoapMessage CreateResponse(CoapCode code, ReadOnlyMemory<byte> payload = default, int? contentFormat = null)
    {
        var message = new CoapMessage(new CoapOptionList(contentFormat is null ? 0 : 2)) { Code = code, Payload = payload };
        if (contentFormat is { } format)
        {
            message.ContentFormat = format;
        }

        return message;
    }

    /// <summary>An empty message (code 0.00): an empty ACK, a RST or a ping (RFC 7252 §4.1).</summary>
    public static CoapMessage CreateEmpty(CoapMessageType type, ushort messageId) =>
        new(new CoapOptionList(0)) { Type = type, MessageId = messageId };

    public override string ToString()
    {
        var text = $"{Type} {Code.Describe()} mid={MessageId} token={Token}";
        foreach (var option in Options)
        {
            text += $" [{option}]";
        }

        return Payload.IsEmpty ? text : $"{text} payload={Payload.Length}B";
    }
}
