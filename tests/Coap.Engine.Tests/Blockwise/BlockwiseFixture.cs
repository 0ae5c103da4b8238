using System.Net;
using Coap.Engine.Blockwise;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>A lockstep server whose pipeline the test can inspect, with helpers for block-wise requests.</summary>
internal sealed class BlockwiseFixture : IAsyncDisposable
{
    private ushort _mid;

    public BlockwiseFixture(Action<ResourceTree> map, Action<CoapEndpointOptions>? configure = null)
    {
        Options = new CoapEndpointOptions { MaxDeduplicationEntries = 1024 };
        configure?.Invoke(Options);
        var tree = new ResourceTree();
        map(tree);
        CoapServerPipeline? pipeline = null;
        Endpoint = new CoapEndpoint(Options, sender => pipeline = new CoapServerPipeline(tree, null, Options, Time, sender, Logs), Time, new Random(7), null);
        Block1 = pipeline!.Block1;
        Transport = new InMemoryTransport(TestEndpoints.ServerAddress);
        Endpoint.Attach(Transport);
        Peer = new LockstepPeer(Transport);
    }

    public FakeTimeProvider Time { get; } = new();

    /// <summary>What the server logged.</summary>
    public RecordingLogs Logs { get; } = new();

    public CoapEndpointOptions Options { get; }

    public CoapEndpoint Endpoint { get; }

    public InMemoryTransport Transport { get; }

    public LockstepPeer Peer { get; }

    internal Block1Stage Block1 { get; }

    /// <summary>Another client, on its own port.</summary>
    public LockstepPeer PeerAt(int port) => new(Transport, new IPEndPoint(IPAddress.Loopback, port));

    /// <summary>A CON request with the next message ID.</summary>
    public CoapMessage Request(CoapCode method, string path) => ServerFixture.Request(method, path, ++_mid);

    /// <summary>Sends and returns the reply.</summary>
    public CoapMessage Exchange(CoapMessage request, LockstepPeer? peer = null)
    {
        peer ??= Peer;
        peer.Send(request);
        return peer.Expect();
    }

    /// <summary>A GET, with Block2 when given.</summary>
    public CoapMessage Get(string path, BlockValue? block2 = null, LockstepPeer? peer = null)
    {
        var request = Request(CoapCode.Get, path);
        if (block2 is { } block)
        {
            request.Options.Add(block.ToOption(OptionNumber.Block2));
        }

        return Exchange(request, peer);
    }

    /// <summary>One Block1 block of <paramref name="body"/>: NUM × size onwards, M set unless it is the last.</summary>
    public CoapMessage Upload(CoapCode method, string path, byte[] body, int number, int exponent, LockstepPeer? peer = null, Action<CoapMessage>? edit = null)
    {
        var size = 1 << (exponent + 4);
        var offset = number * size;
        var length = Math.Min(size, body.Length - offset);
        var request = Request(method, path);
        request.Options.Add(new BlockValue(number, offset + length < body.Length, exponent).ToOption(OptionNumber.Block1));
        request.Payload = body.AsMemory(offset, length);
        edit?.Invoke(request);
        return Exchange(request, peer);
    }

    public static BlockValue BlockOf(CoapMessage message, ushort number)
    {
        Assert.True(message.Options.TryGet(number, out var option), $"{OptionDefinition.NameOf(number)} missing in {message}");
        Assert.True(BlockValue.TryDecode(option.Value.Span, out var block));
        return block;
    }

    public static byte[] RandomBytes(int length, int seed = 42)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public ValueTask DisposeAsync() => Endpoint.DisposeAsync();
}
