using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Interop.Tests.PubSub;

/// <summary>The broker in the real host: topics, configurations and last values are there after the host stops and starts again.</summary>
public sealed class PubSubRestartTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("coap-pubsub-host-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Topics_and_values_survive_stopping_and_starting_the_host()
    {
        await using var client = new CoapClient();
        string topic;
        string data;
        string second;
        await using (var host = await PubSubHost.StartAsync(_state))
        {
            var created = await client.PostAsync(host.Uri("ps"), PubSubMaps.Topic("livingroom/temp", 0, "temperature"), PubSubMaps.Format);
            Assert.Equal(CoapCode.Created, created.Code);
            topic = created.GetLocationPath().TrimStart('/');
            data = PubSubMaps.DataPath(created.Payload);
            var other = await client.PostAsync(host.Uri("ps"), PubSubMaps.Topic("door", 0, "state"), PubSubMaps.Format);
            second = PubSubMaps.DataPath(other.Payload);
            Assert.Equal(CoapCode.Created, (await client.PutAsync(host.Uri(data), "21.5"u8.ToArray(), ContentFormat.TextPlain)).Code);
            Assert.Equal(CoapCode.Changed, (await client.PutAsync(host.Uri(data), "22.5"u8.ToArray(), ContentFormat.TextPlain)).Code);
            Assert.Equal(CoapCode.Created, (await client.PutAsync(host.Uri(second), "open"u8.ToArray(), ContentFormat.TextPlain)).Code);
        }

        await using (var host = await PubSubHost.StartAsync(_state))
        {
            var configuration = await client.GetAsync(host.Uri(topic));
            var value = await client.GetAsync(host.Uri(data));
            var door = await client.GetAsync(host.Uri(second));

            Assert.Equal(CoapCode.Content, configuration.Code);
            Assert.Contains("livingroom/temp", Encoding.UTF8.GetString(configuration.Payload.Span), StringComparison.Ordinal);
            Assert.Equal(data, PubSubMaps.DataPath(configuration.Payload));
            Assert.Equal("22.5", Encoding.UTF8.GetString(value.Payload.Span));
            Assert.Equal("open", Encoding.UTF8.GetString(door.Payload.Span));
            Assert.Equal(CoapCode.Changed, (await client.PutAsync(host.Uri(data), "23"u8.ToArray(), ContentFormat.TextPlain)).Code);
        }
    }
}
