namespace Coap.Engine.Protocol;

/// <summary>A CoAP code: 3-bit class and 5-bit detail, written "c.dd" (RFC 7252 §3, §12.1).</summary>
public readonly record struct CoapCode(byte Value)
{
    public int Class => Value >> 5;

    public int Detail => Value & 0x1F;

    public bool IsEmpty => Value == 0;

    public bool IsRequest => Class == 0 && Value != 0;

    public bool IsResponse => Class is >= 2 and <= 5;

    public bool IsSuccess => Class == 2;

    public static CoapCode From(int codeClass, int detail) => new((byte)((codeClass << 5) | detail));

    public static readonly CoapCode Empty = new(0);
    public static readonly CoapCode Get = new(1);
    public static readonly CoapCode Post = new(2);
    public static readonly CoapCode Put = new(3);
    public static readonly CoapCode Delete = new(4);
    public static readonly CoapCode Fetch = new(5);
    public static readonly CoapCode Patch = new(6);
    public static readonly CoapCode IPatch = new(7);

    public static readonly CoapCode Created = From(2, 1);
    public static readonly CoapCode Deleted = From(2, 2);
    public static readonly CoapCode Valid = From(2, 3);
    public static readonly CoapCode Changed = From(2, 4);
    public static readonly CoapCode Content = From(2, 5);
    public static readonly CoapCode Continue = From(2, 31);

    public static readonly CoapCode BadRequest = From(4, 0);
    public static readonly CoapCode Unauthorized = From(4, 1);
    public static readonly CoapCode BadOption = From(4, 2);
    public static readonly CoapCode Forbidden = From(4, 3);
    public static readonly CoapCode NotFound = From(4, 4);
    public static readonly CoapCode MethodNotAllowed = From(4, 5);
    public static readonly CoapCode NotAcceptable = From(4, 6);
    public static readonly CoapCode RequestEntityIncomplete = From(4, 8);
    public static readonly CoapCode Conflict = From(4, 9);
    public static readonly CoapCode PreconditionFailed = From(4, 12);
    public static readonly CoapCode RequestEntityTooLarge = From(4, 13);
    public static readonly CoapCode UnsupportedContentFormat = From(4, 15);
    public static readonly CoapCode UnprocessableEntity = From(4, 22);
    public static readonly CoapCode TooManyRequests = From(4, 29);

    public static readonly CoapCode InternalServerError = From(5, 0);
    public static readonly CoapCode NotImplemented = From(5, 1);
    public static readonly CoapCode BadGateway = From(5, 2);
    public static readonly CoapCode ServiceUnavailable = From(5, 3);
    public static readonly CoapCode GatewayTimeout = From(5, 4);
    public static readonly CoapCode ProxyingNotSupported = From(5, 5);
    public static readonly CoapCode HopLimitReached = From(5, 8);

    /// <summary>The registered name ("Content", "Not Found"), or null for an unregistered code.</summary>
    public string? Name => CoapCodeNames.Find(Value);

    public override string ToString() => $"{Class}.{Detail:D2}";

    /// <summary>"2.05 Content" style text for people.</summary>
    public string Describe() => Name is { } name ? $"{this} {name}" : ToString();
}
