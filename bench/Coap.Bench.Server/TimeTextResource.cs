using System.Globalization;
using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Bench.Server;

/// <summary>The same answer as libcoap's example /time: the date as "Nov 22 02:25:53" in text/plain.</summary>
internal sealed class TimeTextResource : CoapResource
{
    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context)
    {
        var text = DateTime.UtcNow.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture);
        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.ASCII.GetBytes(text), ContentFormat.TextPlain));
    }
}
