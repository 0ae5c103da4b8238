using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

/// <summary>Splits a plain message's options into Inner and Outer (RFC 8613 §4.1) and joins them back.</summary>
internal static class OscoreMessageSplit
{
    /// <summary>The Inner options of a plain message: Class E and Observe.</summary>
    public static CoapOptionList Inner(CoapMessage plain)
    {
        var inner = new CoapOptionList(plain.Options.Count);
        foreach (var option in plain.Options)
        {
            if (OscoreOptionClasses.Of(option.Number) != OscoreOptionClass.Outer)
            {
                inner.Add(option);
            }
        }

        return inner;
    }

    /// <summary>The outer message: header and token of the plain one, its Class U options and Observe, the OSCORE option.</summary>
    public static CoapMessage Outer(CoapMessage plain, CoapCode outerCode, byte[] oscoreOption, byte[] ciphertext)
    {
        var outer = new CoapMessage(new CoapOptionList(4))
        {
            Type = plain.Type,
            MessageId = plain.MessageId,
            Token = plain.Token,
            Code = outerCode,
            Payload = ciphertext,
        };
        foreach (var option in plain.Options)
        {
            if (OscoreOptionClasses.Of(option.Number) != OscoreOptionClass.Inner && option.Number != OptionNumber.Oscore)
            {
                outer.Options.Add(option);
            }
        }

        outer.Options.Add(OptionNumber.Oscore, oscoreOption);
        return outer;
    }

    /// <summary>
    /// The plain message after decryption: the protected message's header, token and Class U options (not the OSCORE
    /// option, not Outer block-wise), then the Inner options that are Class E or Observe (an Inner copy of a Class U
    /// option is dropped: it must not override routing). Observe: a request's is the Inner one only (a proxy cannot
    /// turn a request into a registration); a response keeps the Outer one when there is no Inner one (§4.1.3.5).
    /// </summary>
    public static CoapMessage Join(CoapMessage protectedMessage, CoapMessage inner)
    {
        var outerObserveCounts = inner.Code.IsResponse && !inner.Options.Contains(OptionNumber.Observe);
        var plain = new CoapMessage(new CoapOptionList(protectedMessage.Options.Count + inner.Options.Count))
        {
            Type = protectedMessage.Type,
            MessageId = protectedMessage.MessageId,
            Token = protectedMessage.Token,
            Code = inner.Code,
            Payload = inner.Payload,
        };
        foreach (var option in protectedMessage.Options)
        {
            var keep = OscoreOptionClasses.Of(option.Number) switch
            {
                OscoreOptionClass.Outer => option.Number != OptionNumber.Oscore,
                OscoreOptionClass.Both => outerObserveCounts,
                _ => false,
            };
            if (keep)
            {
                plain.Options.Add(option);
            }
        }

        foreach (var option in inner.Options)
        {
            if (OscoreOptionClasses.Of(option.Number) != OscoreOptionClass.Outer)
            {
                plain.Options.Add(option);
            }
        }

        return plain;
    }
}
