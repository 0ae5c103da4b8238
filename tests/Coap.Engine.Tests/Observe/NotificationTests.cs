using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

public sealed class NotificationTests
{
    private int _state;

    [Fact]
    public async Task Each_change_sends_a_non_notification_with_the_same_token_and_an_increasing_observe_number()
    {
        var resource = TestObservableResource.Text(() => _state.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        var previous = server.Peer.Expect().Observe!.Value;

        for (var i = 1; i <= 3; i++)
        {
            _state = i;
            resource.Observers.NotifyChanged();
            var notification = server.Peer.Expect();

            Assert.Equal(CoapMessageType.NonConfirmable, notification.Type);
            Assert.Equal(CoapCode.Content, notification.Code);
            Assert.Equal(Token(0xA1), notification.Token);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(notification));
            Assert.True(notification.Observe > previous, $"Observe {notification.Observe} after {previous}");
            previous = notification.Observe!.Value;
        }

        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Notifications_carry_the_current_max_age_and_etag()
    {
        var resource = new TestObservableResource(_ =>
        {
            var response = CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes("x"));
            response.MaxAge = (uint)(30 + _state);
            response.Options.Add(OptionNumber.ETag, new[] { (byte)_state });
            return response;
        });
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();

        _state = 7;
        resource.Observers.NotifyChanged();
        var notification = server.Peer.Expect();

        Assert.Equal(37u, notification.MaxAge);
        Assert.True(notification.Options.TryGet(OptionNumber.ETag, out var etag));
        Assert.Equal(new byte[] { 7 }, etag.Value.ToArray());
    }

    [Fact]
    public async Task Many_observers_with_the_same_request_share_one_render_per_change()
    {
        var resource = TestObservableResource.Text(() => "same");
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        for (ushort i = 0; i < 50; i++)
        {
            server.Peer.Send(Get("obs", (ushort)(100 + i), 0x1000u + i));
            server.Peer.Expect();
        }

        var before = resource.Calls;
        resource.Observers.NotifyChanged();

        Assert.Equal(before + 1, resource.Calls);
        var tokens = new HashSet<CoapToken>();
        for (var i = 0; i < 50; i++)
        {
            var notification = server.Peer.Expect();
            Assert.Equal("same", Text(notification));
            tokens.Add(notification.Token);
        }

        Assert.Equal(50, tokens.Count);
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Observers_with_different_accept_or_query_get_one_render_per_variant()
    {
        var resource = new TestObservableResource(c =>
            CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes($"{c.Request.Accept}|{c.Request.GetUriQuery()}")));
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        ushort mid = 1;
        ulong token = 0x10;
        foreach (var (accept, query) in new (int?, string?)[] { (null, null), (0, null), (null, "a=1") })
        {
            for (var copy = 0; copy < 3; copy++)
            {
                var request = Get("obs", mid++, token++);
                request.Accept = accept;
                if (query is not null)
                {
                    request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, query));
                }

                server.Peer.Send(request);
                server.Peer.Expect();
            }
        }

        var before = resource.Calls;
        resource.Observers.NotifyChanged();

        Assert.Equal(before + 3, resource.Calls);
        var payloads = new Dictionary<string, int>();
        for (var i = 0; i < 9; i++)
        {
            var text = Text(server.Peer.Expect());
            payloads[text] = payloads.GetValueOrDefault(text) + 1;
        }

        Assert.Equal(new Dictionary<string, int> { ["|"] = 3, ["0|"] = 3, ["|a=1"] = 3 }, payloads);
    }

    [Fact]
    public async Task The_observe_number_wraps_at_24_bits()
    {
        var resource = TestObservableResource.Text(() => "w");
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        resource.Observers.SequenceNumber = 0xFFFFFE;
        server.Peer.Send(Get("obs", 1, 0xA1));
        Assert.Equal(0xFFFFFF, server.Peer.Expect().Observe);

        resource.Observers.NotifyChanged();
        var wrapped = server.Peer.Expect();
        resource.Observers.NotifyChanged();
        var next = server.Peer.Expect();

        Assert.Equal(0, wrapped.Observe);
        Assert.Equal(Array.Empty<byte>(), OptionValue(wrapped));
        Assert.Equal(1, next.Observe);
    }

    [Fact]
    public async Task An_error_render_ends_the_observation_and_is_sent_without_observe()
    {
        var gone = false;
        var resource = new TestObservableResource(_ => gone
            ? CoapMessage.CreateResponse(CoapCode.NotFound)
            : CoapMessage.CreateResponse(CoapCode.Content, "here"u8.ToArray()));
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();

        gone = true;
        resource.Observers.NotifyChanged();
        var notification = server.Peer.Expect();

        Assert.Equal(CoapCode.NotFound, notification.Code);
        Assert.Equal(Token(0xA1), notification.Token);
        Assert.Null(notification.Observe);
        Assert.Equal(0, resource.Observers.Count);
        resource.Observers.NotifyChanged();
        server.Peer.ExpectNothing();
    }

    private static byte[] OptionValue(CoapMessage message) =>
        message.Options.TryGet(OptionNumber.Observe, out var option) ? option.Value.ToArray() : throw new InvalidOperationException("no Observe option");
}
