using System.Buffers;
using System.Text;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// A pre-shared key as people write it, in the key file (<c>Coap:Security:PskFile</c>) and on the command line
/// (<c>-k</c>, <c>--key-file</c>): <c>0x</c> followed by an even number of hex digits is those bytes; anything else is
/// its UTF-8 bytes, as libcoap's <c>coap-client -k</c> takes it.
/// </summary>
public static class PskKeyText
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>The key's bytes; <see cref="FormatException"/> for an empty key or a <c>0x</c> key that is not hex.</summary>
    public static byte[] Parse(string text)
    {
        if (text.Length == 0)
        {
            throw new FormatException("the key is empty");
        }

        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8.GetBytes(text);
        }

        var hex = text.AsSpan(2);
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.ContainsAnyExcept(HexDigits))
        {
            throw new FormatException("a key written 0x… needs an even number of hex digits after 0x");
        }

        return Convert.FromHexString(hex);
    }
}
