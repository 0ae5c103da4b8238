using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Testing;

/// <summary>A resource whose answer a test writes as a function, counting how often it ran.</summary>
public sealed class TestResource : ICoapResource
{
    private readonly Func<CoapRequestContext, ValueTask<CoapMessage>> _handler;
    private int _calls;

    public TestResource(Func<CoapRequestContext, ValueTask<CoapMessage>> handler)
    {
        _handler = handler;
    }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Answers 2.05 with a fixed text.</summary>
    public static TestResource Text(string text) =>
        new(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, System.Text.Encoding.UTF8.GetBytes(text), ContentFormat.TextPlain)));

    public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context)
    {
        Interlocked.Increment(ref _calls);
        return _handler(context);
    }
}
