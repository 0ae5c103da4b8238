using Coap.Engine.Codec;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

public sealed class ObserverRemovalTests
{
    private readonly TestObservableResource _resource = TestObservableResource.Text(() => "x");

    [Fact]
    public async Task An_rst_for_a_non_notification_removes_the_observer()
    {
        await using var server = Start();
        Register(server);
        _resource.Observers.NotifyChanged();
        var first = server.Peer.Expect();
        _resource.Observers.NotifyChanged();
        var notification = server.Peer.Expect();
        Assert.Equal(CoapMessageType.NonConfirmable, notification.Type);

        server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Reset, notification.MessageId));

        Assert.NotEqual(first.MessageId, notification.MessageId);
        Assert.Equal(0, _resource.Observers.Count);
        _resource.Observers.NotifyChanged();
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task An_rst_for_a_con_notification_removes_the_observer()
    {
        await using var server = Start();
        Register(server);
        _resource.Observers.NotifyChanged(confirmable: true);
        var notification = server.Peer.Expect();
        Assert.Equal(CoapMessageType.Confirmable, notification.Type);

        server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Reset, notification.MessageId));

        Assert.True(SpinWait.SpinUntil(() => _resource.Observers.Count == 0, TimeSpan.FromSeconds(5)));
        _resource.Observers.NotifyChanged();
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task A_con_notification_never_acknowledged_removes_the_observer_after_max_retransmit()
    {
        await using var server = Start();
        Register(server);
        _resource.Observers.NotifyChanged(confirmable: true);
        var notification = server.Peer.Expect();
        var bytes = CoapMessageWriter.ToArray(notification);

        var retransmissions = 0;
        for (var second = 0; second < 100; second++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            while (server.Transport.PendingCount > 0)
            {
                Assert.Equal(bytes, CoapMessageWriter.ToArray(server.Peer.Expect()));
                retransmissions++;
            }
        }

        Assert.Equal(new CoapTransmissionOptions().MaxRetransmit, retransmissions);
        Assert.True(SpinWait.SpinUntil(() => _resource.Observers.Count == 0, TimeSpan.FromSeconds(5)));
        _resource.Observers.NotifyChanged();
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task A_con_goes_out_at_least_once_per_observer_check_while_non_is_used()
    {
        await using var server = Start(new CoapEndpointOptions { ObserverCheck = TimeSpan.FromSeconds(10) });
        Register(server);

        _resource.Observers.NotifyChanged();
        Assert.Equal(CoapMessageType.NonConfirmable, server.Peer.Expect().Type);
        server.Time.Advance(TimeSpan.FromSeconds(5));
        _resource.Observers.NotifyChanged();
        Assert.Equal(CoapMessageType.NonConfirmable, server.Peer.Expect().Type);
        server.Time.Advance(TimeSpan.FromSeconds(5));
        _resource.Observers.NotifyChanged();
        var check = server.Peer.Expect();
        Assert.Equal(CoapMessageType.Confirmable, check.Type);
        server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, check.MessageId));

        _resource.Observers.NotifyChanged();
        Assert.Equal(CoapMessageType.NonConfirmable, server.Peer.Expect().Type);
        server.Time.Advance(TimeSpan.FromSeconds(10));
        _resource.Observers.NotifyChanged();
        Assert.Equal(CoapMessageType.Confirmable, server.Peer.Expect().Type);
        Assert.Equal(1, _resource.Observers.Count);
    }

    [Fact]
    public async Task A_newer_state_replaces_a_con_notification_still_in_flight()
    {
        var state = "old";
        var resource = TestObservableResource.Text(() => state);
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();
        resource.Observers.NotifyChanged(confirmable: true);
        var old = server.Peer.Expect();

        state = "new";
        resource.Observers.NotifyChanged();
        var replacement = server.Peer.Expect();

        Assert.Equal(CoapMessageType.Confirmable, replacement.Type);
        Assert.NotEqual(old.MessageId, replacement.MessageId);
        Assert.Equal("new", Text(replacement));
        Assert.True(replacement.Observe > old.Observe);

        // The first retransmission keeps the old schedule: due within ACK_TIMEOUT × ACK_RANDOM_FACTOR of the first send.
        server.Time.Advance(TimeSpan.FromSeconds(3));
        var retransmission = server.Peer.Expect();
        Assert.Equal(CoapMessageWriter.ToArray(replacement), CoapMessageWriter.ToArray(retransmission));
        server.Peer.ExpectNothing();

        server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, replacement.MessageId));
        server.Time.Advance(TimeSpan.FromSeconds(100));
        server.Peer.ExpectNothing();
        Assert.Equal(1, resource.Observers.Count);
    }

    [Fact]
    public async Task A_replacement_carries_on_the_retransmission_count_of_the_notification_it_replaces()
    {
        var state = 0;
        var resource = TestObservableResource.Text(() => state.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();
        resource.Observers.NotifyChanged(confirmable: true);
        server.Peer.Expect();

        var sent = 0;
        for (var second = 0; second < 100; second++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            while (server.Transport.PendingCount > 0)
            {
                server.Peer.Expect();
                sent++;
            }

            if (second == 10)
            {
                state = 1;
                resource.Observers.NotifyChanged();
                Assert.Equal("1", Text(server.Peer.Expect()));
            }
        }

        Assert.Equal(new CoapTransmissionOptions().MaxRetransmit, sent);
        Assert.True(SpinWait.SpinUntil(() => resource.Observers.Count == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Deregistering_stops_the_retransmission_of_a_con_notification_in_flight()
    {
        await using var server = Start();
        Register(server);
        _resource.Observers.NotifyChanged(confirmable: true);
        Assert.Equal(CoapMessageType.Confirmable, server.Peer.Expect().Type);

        server.Peer.Send(Get("obs", 2, 0xA1, observe: 1));
        Assert.Null(server.Peer.Expect().Observe);
        server.Time.Advance(TimeSpan.FromSeconds(100));

        server.Peer.ExpectNothing();
        Assert.Equal(0, _resource.Observers.Count);
    }

    [Fact]
    public async Task Stopping_the_endpoint_ends_its_observations()
    {
        var server = Start();
        Register(server);

        await server.DisposeAsync();

        Assert.Equal(0, _resource.Observers.Count);
        _resource.Observers.NotifyChanged();
        server.Peer.ExpectNothing();
    }

    private ServerFixture Start(CoapEndpointOptions? options = null) =>
        new(t => t.Map("obs", _resource, TestObservableResource.Metadata), options);

    private static void Register(ServerFixture server)
    {
        server.Peer.Send(Get("obs", 1, 0xA1));
        Assert.NotNull(server.Peer.Expect().Observe);
    }
}
