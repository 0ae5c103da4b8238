using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// A request's Block1 or Block2 of a valid length (longer ones are 4.02, see <see cref="Server.CriticalOptions"/>)
/// that does not decode has SZX 7, which is reserved: RFC 7959 §2.2 says such a request MUST get 4.00.
/// </summary>
internal static class ReservedBlockSize
{
    public static CoapMessage Answer(ushort number) =>
        CoapMessage.CreateResponse(CoapCode.BadRequest, Encoding.UTF8.GetBytes($"{OptionDefinition.NameOf(number)} SZX 7 is reserved"));
}
