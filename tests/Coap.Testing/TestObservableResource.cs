using System.Text;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Testing;

/// <summary>An observable resource whose answer a test writes as a function, counting how often it ran.</summary>
public sealed class TestObservableResource : IObservableResource
{
    private readonly Func<CoapRequestContext, ValueTask<CoapMessage>> _handler;
    private int _calls;

    public TestObservableResource(Func<CoapRequestContext, CoapMessage> handler)
        : this(c => ValueTask.FromResult(handler(c)))
    {
    }

    public TestObservableResource(Func<CoapRequestContext, ValueTask<CoapMessage>> handler)
    {
        _handler = handler;
    }

    public static ResourceMetadata Metadata { get; } = new() { Observable = true };

    public ResourceObservers Observers { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Answers 2.05 with the text the function gives at the time of the request.</summary>
    public static TestObservableResource Text(Func<string> text) =>
        new(_ => CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(text()), ContentFormat.TextPlain));

    public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context)
    {
        Interlocked.Increment(ref _calls);
        return _handler(context);
    }
}
