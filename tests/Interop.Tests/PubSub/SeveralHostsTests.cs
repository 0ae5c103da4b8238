using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Testing.Programs;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.PubSub;

/// <summary>Two real hosts on one real redis-server are one broker to libcoap's coap-client: it cannot tell them apart.</summary>
public sealed class SeveralHostsTests
{
    [Fact]
    public async Task Coap_client_subscribed_on_one_host_prints_what_another_coap_client_publishes_on_the_other()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await PubSubHost.StartOnRedisAsync(redis.Configuration);
        await using var b = await PubSubHost.StartOnRedisAsync(redis.Configuration);
        await using var client = new CoapClient();
        var created = await client.PostAsync(a.Uri("ps"), PubSubMaps.Topic("shared", ContentFormat.TextPlain, "x"), PubSubMaps.Format);
        var data = PubSubMaps.DataPath(created.Payload);
        var first = await LibcoapClient.RunAsync("-m", "put", "-t", "0", "-e", "first\n", a.Uri(data));

        using var subscriber = Tool.Start(Tool.Find("coap-client-notls"), ["-B", "60", "-s", "60", "-m", "get", a.Uri(data)]);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var seen = new StringBuilder();
            await LibcoapPubSubTests.ReadUntilAsync(subscriber, seen, "first", timeout.Token);
            var second = await LibcoapClient.RunAsync("-m", "put", "-t", "0", "-e", "second\n", b.Uri(data));
            await LibcoapPubSubTests.ReadUntilAsync(subscriber, seen, "second", timeout.Token);
            var listed = await LibcoapClient.RunAsync("-m", "get", b.Uri("ps"));

            Assert.Equal(CoapCode.Created, created.Code);
            Assert.Equal(0, first.ExitCode);
            Assert.Equal(0, second.ExitCode);
            var lines = seen.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(["first", "second"], lines);
            Assert.Contains(created.GetLocationPath(), listed.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            subscriber.Kill(entireProcessTree: true);
            await subscriber.WaitForExitAsync();
        }
    }
}
