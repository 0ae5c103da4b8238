using System.Net;
using Coap.Engine.Codec;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

/// <summary>
/// Coap:ObserverCheckNotifications and the clamp of a resource's own observer check: a client that only gets NON
/// notifications is asked to confirm often enough that one gone away is noticed (RFC 7641 §4.5).
/// </summary>
public sealed class ObserverCheckTests
{
    private readonly TestObservableResource _resource = TestObservableResource.Text(() => "x");

    [Fact]
    public async Task By_default_every_twentieth_notification_is_confirmable()
    {
        await using var server = Start(new CoapEndpointOptions());
        Register(server);

        var types = new List<CoapMessageType>();
        for (var i = 0; i < 40; i++)
        {
            _resource.Observers.NotifyChanged();
            var notification = server.Peer.Expect();
            types.Add(notification.Type);
            if (notification.Type == CoapMessageType.Confirmable)
            {
                server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, notification.MessageId));
            }
        }

        Assert.Equal([19, 39], types.Select((type, index) => (type, index)).Where(t => t.type == CoapMessageType.Confirmable).Select(t => t.index));
    }

    [Fact]
    public async Task A_con_goes_out_after_the_configured_number_of_non_notifications()
    {
        await using var server = Start(new CoapEndpointOptions { ObserverCheckNotifications = 3 });
        Register(server);

        var types = new List<CoapMessageType>();
        for (var i = 0; i < 6; i++)
        {
            _resource.Observers.NotifyChanged();
            var notification = server.Peer.Expect();
            types.Add(notification.Type);
            if (notification.Type == CoapMessageType.Confirmable)
            {
                server.Peer.Send(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, notification.MessageId));
            }
        }

        var non = CoapMessageType.NonConfirmable;
        var con = CoapMessageType.Confirmable;
        Assert.Equal([non, non, con, non, non, con], types);
        Assert.Equal(1, _resource.Observers.Count);
    }

    [Fact]
    public async Task Observers_registered_together_get_their_counted_con_on_different_changes()
    {
        await using var server = Start(new CoapEndpointOptions { ObserverCheckNotifications = 3 });
        for (var i = 0; i < 3; i++)
        {
            var observer = new LockstepPeer(server.Transport, new IPEndPoint(IPAddress.Loopback, 40000 + i));
            observer.Send(Get("obs", (ushort)(i + 1), 0xA1));
            Assert.NotNull(observer.Expect().Observe);
        }

        var confirmable = new List<(int Observer, int Change)>();
        for (var change = 0; change < 3; change++)
        {
            _resource.Observers.NotifyChanged();
            while (server.Transport.TryTake(out var sent))
            {
                var notification = sent!.Decode();
                if (notification.Type == CoapMessageType.Confirmable)
                {
                    confirmable.Add((sent.Remote.Port - 40000, change));
                    server.Transport.Deliver(CoapMessageWriter.ToArray(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, notification.MessageId)), sent.Remote);
                }
            }
        }

        Assert.Equal([(0, 2), (1, 1), (2, 0)], confirmable.OrderBy(c => c.Observer));
    }

    [Fact]
    public async Task An_observer_that_never_acknowledges_the_counted_con_is_removed()
    {
        await using var server = Start(new CoapEndpointOptions { ObserverCheckNotifications = 2 });
        Register(server);
        _resource.Observers.NotifyChanged();
        Assert.Equal(CoapMessageType.NonConfirmable, server.Peer.Expect().Type);
        _resource.Observers.NotifyChanged();
        var check = server.Peer.Expect();
        Assert.Equal(CoapMessageType.Confirmable, check.Type);

        var retransmissions = 0;
        for (var second = 0; second < 100; second++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            while (server.Transport.PendingCount > 0)
            {
                Assert.Equal(check.MessageId, server.Peer.Expect().MessageId);
                retransmissions++;
            }
        }

        Assert.Equal(new CoapTransmissionOptions().MaxRetransmit, retransmissions);
        Assert.True(SpinWait.SpinUntil(() => _resource.Observers.Count == 0, TimeSpan.FromSeconds(10)));
        _resource.Observers.NotifyChanged();
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task A_resource_observer_check_longer_than_the_endpoint_setting_is_clamped_to_it()
    {
        _resource.Observers.ObserverCheck = TimeSpan.FromDays(365);
        await using var server = Start(new CoapEndpointOptions { ObserverCheck = TimeSpan.FromSeconds(10) });
        Register(server);

        _resource.Observers.NotifyChanged();
        Assert.Equal(CoapMessageType.NonConfirmable, server.Peer.Expect().Type);
        server.Time.Advance(TimeSpan.FromSeconds(11));
        _resource.Observers.NotifyChanged();

        Assert.Equal(CoapMessageType.Confirmable, server.Peer.Expect().Type);
    }

    private ServerFixture Start(CoapEndpointOptions options) =>
        new(t => t.Map("obs", _resource, TestObservableResource.Metadata), options);

    private static void Register(ServerFixture server)
    {
        server.Peer.Send(Get("obs", 1, 0xA1));
        Assert.NotNull(server.Peer.Expect().Observe);
    }
}
