using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Server;

/// <summary>A server endpoint on a lockstep transport with a fake clock, and helpers to build requests.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    public ServerFixture(Action<ResourceTree> map, CoapEndpointOptions? options = null)
    {
        Tree = new ResourceTree();
        map(Tree);
        (Endpoint, Transport) = TestEndpoints.StartServer(Tree, Time, options);
        Peer = new LockstepPeer(Transport);
    }

    public FakeTimeProvider Time { get; } = new();

    public ResourceTree Tree { get; }

    public CoapEndpoint Endpoint { get; }

    public InMemoryTransport Transport { get; }

    public LockstepPeer Peer { get; }

    public static CoapMessage Request(CoapCode method, string path, ushort mid, CoapMessageType type = CoapMessageType.Confirmable, ulong token = 0xCAFE)
    {
        var message = CoapMessage.CreateRequest(method, path, type);
        message.MessageId = mid;
        message.Token = CoapToken.FromUInt64(token, 2);
        return message;
    }

    public ValueTask DisposeAsync() => Endpoint.DisposeAsync();
}
