using System.Net;
using Coap.Engine.Codec;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Transport;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

/// <summary>
/// A CON notification reset before the fan-out that sent it got to watching it (found by fuzzing: the client's RST,
/// taken in on the receive thread, beat the fan-out thread, whose removal of the observer then changed the list it
/// was walking; the other observers of the round missed the notification and "Sending the notifications failed" was
/// logged). The transport here plays that peer: it answers every CON with an RST inside Send.
/// </summary>
public sealed class EarlyResetTests
{
    [Fact]
    public async Task A_con_notification_reset_at_once_ends_its_observation_and_the_round_reaches_every_other_observer()
    {
        var logs = new RecordingLogs();
        var resource = TestObservableResource.Text(() => "x");
        var tree = new ResourceTree();
        tree.Map("obs", resource, TestObservableResource.Metadata);
        var options = new CoapEndpointOptions();
        var time = new FakeTimeProvider();
        await using var endpoint = new CoapEndpoint(options, sender => new CoapServerPipeline(tree, null, options, time, sender, logs), time, new Random(7), logs);
        var transport = new ResettingTransport();
        endpoint.Attach(transport);
        transport.Deliver(Get("obs", 1, 0xA1), 40001);
        transport.Deliver(Get("obs", 2, 0xA2), 40002);
        Assert.True(endpoint.Requests!.WaitUntilIdle(TimeSpan.FromSeconds(15)));
        transport.ResetConfirmables = true;

        resource.Observers.NotifyChanged(confirmable: true);

        Assert.Empty(logs.Exceptions);
        Assert.Equal(2, transport.Notifications);
        Assert.Equal(0, resource.Observers.Count);
    }

    /// <summary>
    /// Peers at 127.0.0.1:port; with <see cref="ResetConfirmables"/>, each CON sent is answered with an RST before Send
    /// returns.
    /// </summary>
    private sealed class ResettingTransport : IDatagramTransport
    {
        private IDatagramReceiver? _receiver;

        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 5683);

        public bool ResetConfirmables { get; set; }

        public int Notifications { get; private set; }

        public void Start(IDatagramReceiver receiver) => _receiver = receiver;

        public void Deliver(CoapMessage message, int port) =>
            _receiver!.OnDatagram(this, CoapMessageWriter.ToArray(message), new IPEndPoint(IPAddress.Loopback, port).Serialize());

        public void Send(ReadOnlySpan<byte> datagram, SocketAddress remote)
        {
            if (!ResetConfirmables || !CoapHeader.TryRead(datagram, out var header) || header.Type != CoapMessageType.Confirmable)
            {
                return;
            }

            Notifications++;
            _receiver!.OnDatagram(this, CoapMessageWriter.ToArray(CoapMessage.CreateEmpty(CoapMessageType.Reset, header.MessageId)), remote);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
