using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Services.PubSub.Tests;

/// <summary>Subscribers over UDP: GET + Observe, the max-subscribers limit, final 4.04s, observer-check and fan-out past a silent subscriber.</summary>
public sealed class SubscriptionTests
{
    [Fact]
    public async Task A_subscriber_gets_the_current_value_and_every_publication()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "0");
        using var subscriber = new RawSubscriber(broker.Server.Port, acknowledge: true);

        var first = await subscriber.SubscribeAsync(data);
        await broker.PublishAsync(data, "1");
        var second = await subscriber.ReceiveUntilAsync(m => TestBroker.Text(m) == "1");

        Assert.Equal(CoapCode.Content, first.Code);
        Assert.NotNull(first.Observe);
        Assert.Equal("0", TestBroker.Text(first));
        Assert.True(second.Observe > first.Observe);
        Assert.Equal(subscriber.Token, second.Token);
    }

    [Fact]
    public async Task The_engine_client_observes_topic_data()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "a");
        using var timeout = new CancellationTokenSource(TestBroker.Timeout);
        var seen = new List<string>();

        await foreach (var notification in broker.Client.ObserveAsync(broker.Uri(data), timeout.Token))
        {
            seen.Add(TestBroker.Text(notification));
            if (seen.Count == 1)
            {
                await broker.PublishAsync(data, "b");
            }
            else if (seen[^1] == "b")
            {
                break;
            }
        }

        // The fan-out of "a" runs after its PUT was answered, so a registration right after it may get "a" once more
        // as a notification (RFC 7641 allows a repeated state); what matters is "a" first, then "b", nothing else.
        Assert.Equal("a", seen[0]);
        Assert.Equal("b", seen[^1]);
        Assert.All(seen[1..^1], value => Assert.Equal("a", value));
    }

    [Fact]
    public async Task A_subscription_before_the_first_publication_is_4_04_without_observe()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        using var subscriber = new RawSubscriber(broker.Server.Port, acknowledge: true);

        var answer = await subscriber.SubscribeAsync(data);

        Assert.Equal(CoapCode.NotFound, answer.Code);
        Assert.Null(answer.Observe);
    }

    [Fact]
    public async Task When_max_subscribers_is_reached_a_subscription_gets_2_05_without_observe()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t", (6, 1));
        await broker.PublishAsync(data, "v");
        using var first = new RawSubscriber(broker.Server.Port, acknowledge: true);
        using var second = new RawSubscriber(broker.Server.Port, acknowledge: true);

        var accepted = await first.SubscribeAsync(data);
        var full = await second.SubscribeAsync(data);

        Assert.NotNull(accepted.Observe);
        Assert.Equal(CoapCode.Content, full.Code);
        Assert.Null(full.Observe);
        Assert.Equal("v", TestBroker.Text(full));
    }

    [Fact]
    public async Task The_module_max_subscribers_caps_topics_that_set_none()
    {
        await using var broker = new TestBroker(new() { ["Modules:PubSub:MaxSubscribers"] = "1" });
        var (_, data) = await broker.CreateAsync("t", (6, 50));
        await broker.PublishAsync(data, "v");
        using var first = new RawSubscriber(broker.Server.Port, acknowledge: true);
        using var second = new RawSubscriber(broker.Server.Port, acknowledge: true);

        Assert.NotNull((await first.SubscribeAsync(data)).Observe);
        Assert.Null((await second.SubscribeAsync(data)).Observe);
    }

    [Fact]
    public async Task Lowering_max_subscribers_evicts_the_newest_with_4_04()
    {
        await using var broker = new TestBroker();
        var (topic, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "v");
        using var oldest = new RawSubscriber(broker.Server.Port, acknowledge: true);
        using var newest = new RawSubscriber(broker.Server.Port, acknowledge: true);
        await oldest.SubscribeAsync(data);
        await newest.SubscribeAsync(data);

        var patch = await broker.Send(CoapCode.IPatch, topic, Maps.Of((6, 1)), Maps.Format);
        var evicted = await newest.ReceiveUntilAsync(m => !m.Code.IsSuccess);
        await broker.PublishAsync(data, "w");
        var kept = await oldest.ReceiveUntilAsync(m => TestBroker.Text(m) == "w");

        Assert.Equal(CoapCode.Changed, patch.Code);
        Assert.Equal(CoapCode.NotFound, evicted.Code);
        Assert.Equal(newest.Token, evicted.Token);
        Assert.Null(evicted.Observe);
        Assert.NotNull(kept.Observe);
    }

    [Fact]
    public async Task Deleting_the_topic_sends_every_subscriber_a_final_4_04()
    {
        await using var broker = new TestBroker();
        var (topic, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "v");
        using var a = new RawSubscriber(broker.Server.Port, acknowledge: true);
        using var b = new RawSubscriber(broker.Server.Port, acknowledge: true);
        await a.SubscribeAsync(data);
        await b.SubscribeAsync(data);

        await broker.Send(CoapCode.Delete, topic);

        Assert.Equal(CoapCode.NotFound, (await a.ReceiveUntilAsync(m => !m.Code.IsSuccess)).Code);
        Assert.Equal(CoapCode.NotFound, (await b.ReceiveUntilAsync(m => !m.Code.IsSuccess)).Code);
    }

    [Fact]
    public async Task Deleting_the_topic_data_sends_every_subscriber_a_final_4_04()
    {
        await using var broker = new TestBroker();
        var (_, data) = await broker.CreateAsync("t");
        await broker.PublishAsync(data, "v");
        using var subscriber = new RawSubscriber(broker.Server.Port, acknowledge: true);
        await subscriber.SubscribeAsync(data);

        await broker.Send(CoapCode.Delete, data);
        var final = await subscriber.ReceiveUntilAsync(m => !m.Code.IsSuccess);

        Assert.Equal(CoapCode.NotFound, final.Code);
        Assert.Equal(subscriber.Token, final.Token);
    }

    [Fact]
    public async Task Observer_check_of_the_topic_sets_how_often_a_notification_is_confirmable()
    {
        var clock = new FakeTimeProvider();
        await using var broker = new TestBroker(engineTime: clock);
        var (_, data) = await broker.CreateAsync("t", (7, 2));
        await broker.PublishAsync(data, "0");
        using var subscriber = new RawSubscriber(broker.Server.Port, acknowledge: true);
        await subscriber.SubscribeAsync(data);
        clock.Advance(TimeSpan.FromSeconds(1.9));
        await broker.PublishAsync(data, "1");
        var soon = await subscriber.ReceiveUntilAsync(m => TestBroker.Text(m) == "1");

        // The observer check (two seconds) is on the engine's clock, which only the test moves.
        clock.Advance(TimeSpan.FromSeconds(0.2));
        await broker.PublishAsync(data, "2");
        var later = await subscriber.ReceiveUntilAsync(m => TestBroker.Text(m) == "2");

        Assert.Equal(CoapMessageType.NonConfirmable, soon.Type);
        Assert.Equal(CoapMessageType.Confirmable, later.Type);
    }

    [Fact]
    public async Task An_observer_check_longer_than_the_engine_allows_is_clamped_to_coap_observer_check()
    {
        var clock = new FakeTimeProvider();
        await using var broker = new TestBroker(engineTime: clock);
        var (_, data) = await broker.CreateAsync("t", (7, int.MaxValue));
        await broker.PublishAsync(data, "0");
        using var subscriber = new RawSubscriber(broker.Server.Port, acknowledge: true);
        await subscriber.SubscribeAsync(data);
        await broker.PublishAsync(data, "1");
        var soon = await subscriber.ReceiveUntilAsync(m => TestBroker.Text(m) == "1");

        // Coap:ObserverCheck (30 s by default) bounds the topic's 2^31 - 1 seconds, on the engine's clock.
        clock.Advance(new CoapServerOptions().ObserverCheck + TimeSpan.FromSeconds(1));
        await broker.PublishAsync(data, "2");
        var later = await subscriber.ReceiveUntilAsync(m => TestBroker.Text(m) == "2");

        Assert.Equal(CoapMessageType.NonConfirmable, soon.Type);
        Assert.Equal(CoapMessageType.Confirmable, later.Type);
    }

    [Fact]
    public async Task A_subscriber_that_never_acknowledges_does_not_delay_the_others()
    {
        var clock = new FakeTimeProvider();
        await using var broker = new TestBroker(engineTime: clock);
        var (_, data) = await broker.CreateAsync("t", (7, 1));
        await broker.PublishAsync(data, "start");
        using var silent = new RawSubscriber(broker.Server.Port, acknowledge: false);
        await silent.SubscribeAsync(data);
        var others = Enumerable.Range(0, 5).Select(_ => new RawSubscriber(broker.Server.Port, acknowledge: true)).ToList();
        try
        {
            foreach (var other in others)
            {
                await other.SubscribeAsync(data);
            }

            // Past the topic's observer-check of one second (on the engine's clock, moved by the test) the next
            // notification is confirmable: the silent subscriber then holds a CON in flight that it never
            // acknowledges, and the broker retransmits it (with the latest value) as the clock moves on.
            var received = 0;
            for (var i = 0; i < 20; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(1.1));
                await broker.PublishAsync(data, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                foreach (var other in others)
                {
                    var text = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    await other.ReceiveUntilAsync(m => TestBroker.Text(m) == text);
                    received++;
                }
            }

            var confirmable = await silent.ReceiveUntilAsync(m => m.Type == CoapMessageType.Confirmable);
            var retransmission = await silent.ReceiveUntilAsync(m => m.Type == CoapMessageType.Confirmable);
            Assert.Equal(100, received);
            Assert.Equal(silent.Token, confirmable.Token);
            Assert.Equal(silent.Token, retransmission.Token);
        }
        finally
        {
            others.ForEach(o => o.Dispose());
        }
    }

    [Fact]
    public async Task The_expiration_date_deletes_the_topic_then_and_ends_its_subscriptions()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = new TestBroker(time: time);
        var (topic, data) = await broker.CreateAsync("t", (5, time.GetUtcNow().AddHours(1)));
        await broker.PublishAsync(data, "v");
        using var subscriber = new RawSubscriber(broker.Server.Port, acknowledge: true);
        await subscriber.SubscribeAsync(data);

        time.Advance(TimeSpan.FromMinutes(59));
        var before = await broker.Send(CoapCode.Get, topic);
        time.Advance(TimeSpan.FromMinutes(1));
        var final = await subscriber.ReceiveUntilAsync(m => !m.Code.IsSuccess);

        Assert.Equal(CoapCode.Content, before.Code);
        Assert.Equal(CoapCode.NotFound, final.Code);
        Assert.Equal(CoapCode.NotFound, (await broker.Send(CoapCode.Get, topic)).Code);
        Assert.Empty(TestBroker.Links(await broker.Send(CoapCode.Get, "ps")));
    }
}
