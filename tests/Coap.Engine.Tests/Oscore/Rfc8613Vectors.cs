using Coap.Engine.Codec;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Oscore;

/// <summary>The inputs of RFC 8613 Appendix C, shared by the vector tests.</summary>
internal static class Rfc8613Vectors
{
    public static readonly byte[] MasterSecret = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    public static readonly byte[] MasterSalt = Convert.FromHexString("9e7ca92223786340");
    public static readonly byte[] IdContext = Convert.FromHexString("37cbf3210017a2d3");

    /// <summary>C.1.1: client, Sender ID empty, Recipient ID 01, with Master Salt.</summary>
    public static OscoreContextParameters C1Client => new(MasterSecret, [], [0x01], MasterSalt);

    /// <summary>C.1.2: the server of C.1.</summary>
    public static OscoreContextParameters C1Server => new(MasterSecret, [0x01], [], MasterSalt);

    /// <summary>C.2.1: client, Sender ID 00, Recipient ID 01, no Master Salt.</summary>
    public static OscoreContextParameters C2Client => new(MasterSecret, [0x00], [0x01]);

    /// <summary>C.2.2: the server of C.2.</summary>
    public static OscoreContextParameters C2Server => new(MasterSecret, [0x01], [0x00]);

    /// <summary>C.3.1: as C.1.1 with the ID Context 37cbf3210017a2d3.</summary>
    public static OscoreContextParameters C3Client => new(MasterSecret, [], [0x01], MasterSalt, IdContext);

    /// <summary>C.3.2: the server of C.3.</summary>
    public static OscoreContextParameters C3Server => new(MasterSecret, [0x01], [], MasterSalt, IdContext);

    /// <summary>A context whose next Sender Sequence Number is <paramref name="next"/> (C.4-C.6 use 20, C.8 uses 0).</summary>
    public static OscoreSecurityContext Context(OscoreContextParameters parameters, long next) =>
        new(parameters, new OscoreSequenceState(next, new OscoreWindowState(0, 0)));

    public static CoapMessage Decode(string hex)
    {
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(Convert.FromHexString(hex), out var message));
        return message!;
    }

    public static string Encode(CoapMessage message) => Convert.ToHexStringLower(CoapMessageWriter.ToArray(message));
}
