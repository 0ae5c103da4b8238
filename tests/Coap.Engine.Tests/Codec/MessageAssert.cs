using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Codec;

/// <summary>Field-by-field comparison of messages, option values and payload by content.</summary>
internal static class MessageAssert
{
    public static void Equal(CoapMessage expected, CoapMessage actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Code, actual.Code);
        Assert.Equal(expected.MessageId, actual.MessageId);
        Assert.Equal(expected.Token, actual.Token);
        Assert.Equal(expected.Options.Count, actual.Options.Count);
        for (var i = 0; i < expected.Options.Count; i++)
        {
            Assert.Equal(expected.Options[i].Number, actual.Options[i].Number);
            Assert.Equal(expected.Options[i].Value.ToArray(), actual.Options[i].Value.ToArray());
        }

        Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
}
