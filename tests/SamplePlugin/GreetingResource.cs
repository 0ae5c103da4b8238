using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace SamplePlugin;

/// <summary>Answers GET with a configured greeting.</summary>
public sealed class GreetingResource : CoapResource
{
    private readonly byte[] _greeting;

    public GreetingResource(string greeting)
    {
        _greeting = Encoding.UTF8.GetBytes(greeting);
    }

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, _greeting, ContentFormat.TextPlain));
}
