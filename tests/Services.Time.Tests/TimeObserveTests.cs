using System.Formats.Cbor;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Time.Tests;

public sealed class TimeObserveTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 3, 0, 0, 250, TimeSpan.Zero);
    private readonly ModuleServer _server = new(new TimeModule(), time: new FakeTimeProvider(Start));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private CoapMessage Observe(int observe, ushort mid)
    {
        var request = CoapMessage.CreateRequest(CoapCode.Get, "time");
        request.MessageId = mid;
        request.Token = CoapToken.FromUInt64(0x7173, 2);
        request.Observe = observe;
        _server.Peer.Send(request);
        return _server.Peer.Expect();
    }

    private static long Seconds(CoapMessage message) => new CborReader(message.Payload).ReadUnixTimeSeconds().ToUnixTimeSeconds();

    [Fact]
    public void Observer_gets_a_notification_each_second_with_increasing_numbers_until_it_deregisters()
    {
        var first = Observe(0, 1);
        Assert.Equal(CoapCode.Content, first.Code);
        Assert.NotNull(first.Observe);

        var notifications = new List<CoapMessage>();
        for (var i = 0; i < 3; i++)
        {
            _server.Time.Advance(TimeSpan.FromSeconds(1));
            notifications.Add(_server.Peer.Expect());
            _server.Peer.ExpectNothing();
        }

        Assert.All(notifications, n => Assert.Equal(first.Token, n.Token));
        Assert.All(notifications, n => Assert.Equal(0u, n.MaxAge));
        Assert.Equal([first.Observe!.Value + 1, first.Observe.Value + 2, first.Observe.Value + 3], notifications.Select(n => n.Observe!.Value));
        Assert.Equal([Seconds(first) + 1, Seconds(first) + 2, Seconds(first) + 3], notifications.Select(Seconds));

        var last = Observe(1, 2);
        Assert.Null(last.Observe);
        _server.Time.Advance(TimeSpan.FromSeconds(5));
        _server.Peer.ExpectNothing();
    }

    [Fact]
    public void Ticks_fall_on_whole_seconds()
    {
        Observe(0, 1);

        _server.Time.Advance(TimeSpan.FromMilliseconds(749));
        _server.Peer.ExpectNothing();
        _server.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(Start.ToUnixTimeSeconds() + 1, Seconds(_server.Peer.Expect()));
    }

    [Fact]
    public void Without_observers_a_tick_sends_nothing()
    {
        _server.Time.Advance(TimeSpan.FromSeconds(3));

        _server.Peer.ExpectNothing();
    }
}
