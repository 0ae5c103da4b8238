using Coap.Engine.Oscore;
using static Coap.Engine.Tests.Oscore.Rfc8613Vectors;

namespace Coap.Engine.Tests.Oscore;

/// <summary>RFC 8613 Appendix C.1-C.3: info, keys, Common IV and the nonces for Partial IV 0, both sides.</summary>
public sealed class KeyDerivationVectorTests
{
    public static TheoryData<string, string, string, string, string, string, string, string, string> Cases => new()
    {
        // vector, sender info, recipient info, Common IV info, sender key, recipient key, Common IV, sender nonce, recipient nonce
        { "C.1.1", "8540f60a634b657910", "854101f60a634b657910", "8540f60a6249560d", "f0910ed7295e6ad4b54fc793154302ff", "ffb14e093c94c9cac9471648b4f98710", "4622d4dd6d944168eefb54987c", "4622d4dd6d944168eefb54987c", "4722d4dd6d944169eefb54987c" },
        { "C.1.2", "854101f60a634b657910", "8540f60a634b657910", "8540f60a6249560d", "ffb14e093c94c9cac9471648b4f98710", "f0910ed7295e6ad4b54fc793154302ff", "4622d4dd6d944168eefb54987c", "4722d4dd6d944169eefb54987c", "4622d4dd6d944168eefb54987c" },
        { "C.2.1", "854100f60a634b657910", "854101f60a634b657910", "8540f60a6249560d", "321b26943253c7ffb6003b0b64d74041", "e57b5635815177cd679ab4bcec9d7dda", "be35ae297d2dace910c52e99f9", "bf35ae297d2dace910c52e99f9", "bf35ae297d2dace810c52e99f9" },
        { "C.2.2", "854101f60a634b657910", "854100f60a634b657910", "8540f60a6249560d", "e57b5635815177cd679ab4bcec9d7dda", "321b26943253c7ffb6003b0b64d74041", "be35ae297d2dace910c52e99f9", "bf35ae297d2dace810c52e99f9", "bf35ae297d2dace910c52e99f9" },
        { "C.3.1", "85404837cbf3210017a2d30a634b657910", "8541014837cbf3210017a2d30a634b657910", "85404837cbf3210017a2d30a6249560d", "af2a1300a5e95788b356336eeecd2b92", "e39a0c7c77b43f03b4b39ab9a268699f", "2ca58fb85ff1b81c0b7181b85e", "2ca58fb85ff1b81c0b7181b85e", "2da58fb85ff1b81d0b7181b85e" },
        { "C.3.2", "8541014837cbf3210017a2d30a634b657910", "85404837cbf3210017a2d30a634b657910", "85404837cbf3210017a2d30a6249560d", "e39a0c7c77b43f03b4b39ab9a268699f", "af2a1300a5e95788b356336eeecd2b92", "2ca58fb85ff1b81c0b7181b85e", "2da58fb85ff1b81d0b7181b85e", "2ca58fb85ff1b81c0b7181b85e" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derivation_reproduces_the_vector(string vector, string senderInfo, string recipientInfo, string ivInfo, string senderKey, string recipientKey, string commonIv, string senderNonce, string recipientNonce)
    {
        var parameters = Parameters(vector);
        using var context = new OscoreSecurityContext(parameters);

        Assert.Equal(senderInfo, Hex(OscoreKeyDerivation.Info(parameters.SenderId, parameters.IdContext, "Key", 16)));
        Assert.Equal(recipientInfo, Hex(OscoreKeyDerivation.Info(parameters.RecipientId, parameters.IdContext, "Key", 16)));
        Assert.Equal(ivInfo, Hex(OscoreKeyDerivation.Info([], parameters.IdContext, "IV", 13)));
        Assert.Equal(senderKey, Hex(context.SenderKey));
        Assert.Equal(recipientKey, Hex(context.RecipientKey));
        Assert.Equal(commonIv, Hex(context.CommonIv));
        Assert.Equal(senderNonce, Nonce(context.CommonIv, parameters.SenderId, [0x00]));
        Assert.Equal(recipientNonce, Nonce(context.CommonIv, parameters.RecipientId, [0x00]));
    }

    internal static string Nonce(byte[] commonIv, byte[] id, byte[] partialIv)
    {
        var nonce = new byte[13];
        OscoreNonce.Build(commonIv, id, partialIv, nonce);
        return Hex(nonce);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static OscoreContextParameters Parameters(string vector) => vector switch
    {
        "C.1.1" => C1Client,
        "C.1.2" => C1Server,
        "C.2.1" => C2Client,
        "C.2.2" => C2Server,
        "C.3.1" => C3Client,
        _ => C3Server,
    };
}
