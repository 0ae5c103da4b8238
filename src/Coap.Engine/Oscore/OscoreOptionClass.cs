using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

/// <summary>Where an option goes in a protected message (RFC 8613 §4.1).</summary>
public enum OscoreOptionClass
{
    /// <summary>Class E: encrypted and integrity protected, inside the plaintext.</summary>
    Inner,

    /// <summary>Class U: visible to proxies, outside.</summary>
    Outer,

    /// <summary>Both an Inner and an Outer copy: Observe (§4.1.3.5).</summary>
    Both,
}

/// <summary>
/// The class of each option number (RFC 8613 §4.1, Figure 5, and the later options' own classes). Block1/Block2,
/// Size1/Size2 and Q-Block are Inner here: the plain message's block-wise is end to end; Outer block-wise of the
/// protected message (§4.1.3.4.2) is added to and removed from the protected message by the layer that sends it.
/// </summary>
public static class OscoreOptionClasses
{
    public static OscoreOptionClass Of(ushort number) => number switch
    {
        OptionNumber.Observe => OscoreOptionClass.Both,
        OptionNumber.UriHost or OptionNumber.UriPort or OptionNumber.ProxyUri or OptionNumber.ProxyScheme
            or OptionNumber.Oscore or OptionNumber.HopLimit or OptionNumber.Edhoc => OscoreOptionClass.Outer,

        // Every other option, unknown ones included (§4.1: "processed as Class E").
        _ => OscoreOptionClass.Inner,
    };

    /// <summary>Outer block-wise options of a protected message (§4.1.3.4.2), dropped when unprotecting.</summary>
    public static bool IsOuterBlockwise(ushort number) => number is OptionNumber.Block1 or OptionNumber.Block2
        or OptionNumber.Size1 or OptionNumber.Size2 or OptionNumber.QBlock1 or OptionNumber.QBlock2;
}
