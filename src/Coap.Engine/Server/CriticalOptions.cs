using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>
/// Finds the options a server must refuse (RFC 7252 §5.4.1): critical options it does not understand, and
/// critical options with a bad length (§5.4.3) or repeated though not repeatable (§5.4.5). Block1 and Block2
/// (RFC 7959 §2.1) are understood by the block-wise stages, Q-Block2 (RFC 9177 §4) by the Q-Block2 stage (which
/// answers 4.02 itself when Q-Block is off); Size1 and Size2 are elective.
/// </summary>
internal static class CriticalOptions
{
    private static readonly HashSet<ushort> Understood =
    [
        OptionNumber.IfMatch, OptionNumber.UriHost, OptionNumber.IfNoneMatch, OptionNumber.UriPort,
        OptionNumber.UriPath, OptionNumber.UriQuery, OptionNumber.Accept, OptionNumber.Block2, OptionNumber.Block1,
        OptionNumber.QBlock1, OptionNumber.QBlock2,
    ];

    /// <summary>
    /// The number of the first refused option, or -1. A request to be <paramref name="forwarded"/> (RFC 7252 §5.7.2)
    /// also has Proxy-Uri and Proxy-Scheme understood, and its Safe-to-Forward options pass whether understood or not:
    /// the proxy forwards them; an unsafe one it does not understand is refused as above.
    /// </summary>
    public static int FindRefused(CoapMessage request, bool forwarded = false)
    {
        var previous = -1;
        foreach (var option in request.Options)
        {
            var number = option.Number;
            var repeated = number == previous;
            previous = number;
            if (!OptionNumber.IsCritical(number))
            {
                continue;
            }

            var proxyOption = forwarded && number is OptionNumber.ProxyUri or OptionNumber.ProxyScheme;
            if (forwarded && !proxyOption && !OptionNumber.IsUnsafe(number))
            {
                continue;
            }

            if (!proxyOption && !Understood.Contains(number))
            {
                return number;
            }

            var definition = OptionDefinition.Find(number)!;
            if (option.Value.Length < definition.MinLength || option.Value.Length > definition.MaxLength
                || (repeated && !definition.Repeatable))
            {
                return number;
            }
        }

        return -1;
    }
}
