namespace Coap.Engine.Protocol;

/// <summary>Registered CoAP option numbers (RFC 7252 §12.2 and the extensions that add to it).</summary>
public static class OptionNumber
{
    public const ushort IfMatch = 1;
    public const ushort UriHost = 3;
    public const ushort ETag = 4;
    public const ushort IfNoneMatch = 5;
    public const ushort Observe = 6;
    public const ushort UriPort = 7;
    public const ushort LocationPath = 8;
    public const ushort Oscore = 9;
    public const ushort UriPath = 11;
    public const ushort ContentFormat = 12;
    public const ushort MaxAge = 14;
    public const ushort UriQuery = 15;
    public const ushort HopLimit = 16;
    public const ushort Accept = 17;
    public const ushort QBlock1 = 19;
    public const ushort LocationQuery = 20;
    public const ushort Edhoc = 21;
    public const ushort Block2 = 23;
    public const ushort Block1 = 27;
    public const ushort Size2 = 28;
    public const ushort QBlock2 = 31;
    public const ushort ProxyUri = 35;
    public const ushort ProxyScheme = 39;
    public const ushort Size1 = 60;
    public const ushort Echo = 252;
    public const ushort NoResponse = 258;
    public const ushort RequestTag = 292;

    /// <summary>Odd option numbers are critical (RFC 7252 §5.4.6).</summary>
    public static bool IsCritical(int number) => (number & 1) != 0;

    /// <summary>Unsafe-to-forward options have bit 1 set (RFC 7252 §5.4.6).</summary>
    public static bool IsUnsafe(int number) => (number & 2) != 0;

    /// <summary>NoCacheKey options have bits 2-4 all set (RFC 7252 §5.4.6).</summary>
    public static bool IsNoCacheKey(int number) => (number & 0x1E) == 0x1C;
}
