using System.Globalization;
using Coap.Engine.Protocol;
using Coap.Testing.Programs;

namespace Services.PubSub.Tests.Redis;

/// <summary>A thousand topics created across three hosts: every host holds all of them, and MaxTopics counts them all.</summary>
public sealed class ManyTopicsTests
{
    [Fact]
    public async Task A_thousand_topics_created_across_three_hosts_are_on_every_host_and_on_one_started_later()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = SharedHosts.Start(redis);
        await using var b = SharedHosts.Start(redis);
        await using var c = SharedHosts.Start(redis);
        TestBroker[] hosts = [a, b, c];
        var created = new (string Topic, string Data)[1000];
        for (var batch = 0; batch < created.Length; batch += 50)
        {
            await Task.WhenAll(Enumerable.Range(batch, 50).Select(async i =>
            {
                var host = hosts[i % 3];
                created[i] = await host.CreateAsync("topic-" + i.ToString(CultureInfo.InvariantCulture));
                Assert.Equal(CoapCode.Created, (await host.PublishAsync(created[i].Data, i.ToString(CultureInfo.InvariantCulture))).Code);
            }));
        }

        await Task.WhenAll(hosts.Select(host => host.HeardAllAsync()));
        var refused = await b.Send(CoapCode.Post, "ps", Maps.Topic("one-too-many"), Maps.Format);
        await using var later = SharedHosts.Start(redis);

        Assert.Equal(CoapCode.Forbidden, refused.Code);
        foreach (var host in new[] { a, b, c, later })
        {
            Assert.Equal(1000, host.Broker().All().Length);
        }

        for (var i = 0; i < created.Length; i += 37)
        {
            var reader = hosts[(i + 1) % 3];
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), TestBroker.Text(await reader.Send(CoapCode.Get, created[i].Data)));
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), TestBroker.Text(await later.Send(CoapCode.Get, created[i].Data)));
        }
    }
}
