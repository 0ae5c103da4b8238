using System.Collections.Concurrent;
using Coap.Engine.Codec;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.EndToEnd;

/// <summary>
/// Observe with a representation larger than one block (RFC 7641 + RFC 7959 §2.6), our client against our
/// server: the server sends block 0 in each notification, the client fetches the rest with Block2 requests and
/// yields the whole representation.
/// </summary>
public sealed class ObserveBlockwiseEndToEndTests : IAsyncLifetime
{
    private const int Length = 5000;
    private const int BlockSize = 1024;

    private readonly InMemoryNetwork _network = new();

    /// <summary>Both ends on a clock that stands still, so no stall of the machine can time out an exchange and add a retransmission to the counts.</summary>
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<CoapMessage> _fromServer = new();
    private readonly ConcurrentQueue<CoapMessage> _fromClient = new();
    private readonly CoapEndpoint _server;
    private readonly TestObservableResource _resource;
    private byte[] _state = BlockwiseEndToEndTests.RandomBody(Length, seed: 0);

    public ObserveBlockwiseEndToEndTests()
    {
        _resource = new TestObservableResource(_ => CoapMessage.CreateResponse(CoapCode.Content, Volatile.Read(ref _state), ContentFormat.OctetStream));
        var tree = new ResourceTree();
        tree.Map("big", _resource, TestObservableResource.Metadata);
        (_server, _) = TestEndpoints.StartServer(tree, _time, network: _network);
        // Peek at every datagram without losing any.
        _network.Drop = (datagram, from, _) =>
        {
            if (CoapMessageReader.TryReadCopy(datagram, out var message) == CoapDecodeError.None && message is not null)
            {
                (from.Equals(TestEndpoints.ServerAddress) ? _fromServer : _fromClient).Enqueue(message);
            }

            return false;
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Each_notification_is_the_whole_representation_fetched_after_block_0()
    {
        await using var client = TestEndpoints.CreateClient(_time, _network, new Coap.Engine.Client.CoapClientOptions { Timeout = TimeSpan.FromSeconds(5) });
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var expected = new List<byte[]> { Volatile.Read(ref _state) };
        var received = new List<byte[]>();

        await foreach (var notification in client.ObserveAsync($"coap://127.0.0.1:{TestEndpoints.ServerAddress.Port}/big", cancel.Token))
        {
            Assert.Equal(CoapCode.Content, notification.Code);
            Assert.NotNull(notification.Observe);
            received.Add(notification.Payload.ToArray());
            if (received.Count == 3)
            {
                break;
            }

            // Change the state only once the client holds the previous one, so every notification is a distinct state.
            var next = BlockwiseEndToEndTests.RandomBody(Length, seed: received.Count);
            expected.Add(next);
            Volatile.Write(ref _state, next);
            _resource.Observers.NotifyChanged();
        }

        Assert.Equal(3, received.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(received[i]), $"notification {i} is not the representation at that time");
        }

        // The registration's answer and both notifications (2.05 with Observe) carried block 0 only.
        var notifications = _fromServer.Where(m => m.IsResponse && m.Observe is not null).ToList();
        Assert.Equal(3, notifications.Count);
        foreach (var sent in notifications)
        {
            Assert.Equal(new BlockValue(0, true, BlockValue.ExponentFor(BlockSize)), Block2(sent));
            Assert.Equal(BlockSize, sent.Payload.Length);
        }

        // The client fetched blocks 1..4 with plain GETs (no Observe) for the registration and each notification.
        var followUps = _fromClient.Where(m => m.IsRequest && m.Observe is null && Block2(m) is { Number: > 0 }).ToList();
        Assert.Equal(3 * (Length / BlockSize), followUps.Count);
        // Renders: block 0 and the four follow-ups, three times; plus the deregistration (GET Observe 1, §3.6) on break.
        Assert.Single(_fromClient, m => m.IsRequest && m.Observe == 1);
        Assert.Equal(3 * (1 + Length / BlockSize) + 1, _resource.Calls);
    }

    private static BlockValue? Block2(CoapMessage message) =>
        message.Options.TryGet(OptionNumber.Block2, out var option) && BlockValue.TryDecode(option.Value.Span, out var block) ? block : null;
}
