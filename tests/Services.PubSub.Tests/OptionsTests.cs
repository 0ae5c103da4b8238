using Coap.Engine.Hosting;
using Coap.Testing;
using Microsoft.Extensions.Options;

namespace Services.PubSub.Tests;

/// <summary>Start-up checks of "Modules:PubSub": each bad value is refused naming its key.</summary>
public sealed class OptionsTests
{
    [Theory]
    [InlineData("Path", "")]
    [InlineData("Path", "ps/{x}")]
    [InlineData("Path", "a//b")]
    [InlineData("ContentFormat", "60")]
    [InlineData("ContentFormat", "70000")]
    [InlineData("MaxTopics", "0")]
    [InlineData("MaxPayloadBytes", "-1")]
    [InlineData("MaxSubscribers", "0")]
    [InlineData("MinPublishInterval", "-00:00:01")]
    [InlineData("Path", "/")]
    [InlineData("Path", "ps}")]
    [InlineData("ContentFormat", "40")]
    [InlineData("ContentFormat", "-1")]
    [InlineData("MaxTopics", "-5")]
    [InlineData("MaxPayloadBytes", "0")]
    [InlineData("MaxSubscribers", "-1")]
    public void A_bad_value_is_refused_at_start_naming_the_key(string key, string value)
    {
        var settings = new Dictionary<string, string?> { [$"Modules:PubSub:{key}"] = value, ["Modules:PubSub:StateDirectory"] = string.Empty };

        var error = Assert.Throws<OptionsValidationException>(() => new UdpModuleServer(new PubSubModule(), settings));

        Assert.Contains($"Modules:PubSub:{key}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_directory_that_is_a_file_is_refused_naming_the_key()
    {
        var file = Path.GetTempFileName();
        try
        {
            var settings = new Dictionary<string, string?> { ["Modules:PubSub:StateDirectory"] = file };

            var error = Assert.Throws<OptionsValidationException>(() => new UdpModuleServer(new PubSubModule(), settings));

            Assert.Contains("Modules:PubSub:StateDirectory", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("MaxTopics", "lots")]
    [InlineData("MaxPayloadBytes", "64k")]
    [InlineData("MinPublishInterval", "fast")]
    [InlineData("ContentFormat", "606.5")]
    public void A_value_of_the_wrong_type_is_refused_naming_the_key(string key, string value)
    {
        var settings = new Dictionary<string, string?> { [$"Modules:PubSub:{key}"] = value, ["Modules:PubSub:StateDirectory"] = string.Empty };

        var error = Assert.Throws<CoapConfigurationException>(() => new UdpModuleServer(new PubSubModule(), settings));

        Assert.Contains($"Modules:PubSub:{key}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_refused()
    {
        var settings = new Dictionary<string, string?> { ["Modules:PubSub:MaxTopic"] = "3" };

        var error = Assert.Throws<CoapConfigurationException>(() => new UdpModuleServer(new PubSubModule(), settings));

        Assert.Contains("MaxTopic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_path_and_content_format_are_used()
    {
        await using var broker = new TestBroker(new() { ["Modules:PubSub:Path"] = "/broker/topics", ["Modules:PubSub:ContentFormat"] = "65000" });

        var response = await broker.Send(Coap.Engine.Protocol.CoapCode.Post, "broker/topics", Maps.Topic("t"), 65000);

        Assert.Equal(Coap.Engine.Protocol.CoapCode.Created, response.Code);
        Assert.Equal(65000, response.ContentFormat);
        Assert.StartsWith("broker/topics/data/", (string)Maps.Read(response.Payload)[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Store", "Postgres", "Modules:PubSub:Store")]
    [InlineData("Store", "Redis", "Modules:PubSub:Redis:Configuration")]
    [InlineData("Redis:Configuration", "127.0.0.1:6379,nonsense=1", "Modules:PubSub:Redis:Configuration")]
    [InlineData("Redis:Configuration", ",", "Modules:PubSub:Redis:Configuration")]
    [InlineData("Redis:KeyPrefix", "", "Modules:PubSub:Redis:KeyPrefix")]
    [InlineData("Redis:KeyPrefix", "two words", "Modules:PubSub:Redis:KeyPrefix")]
    public void A_bad_store_setting_is_refused_at_start_naming_the_key(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [$"Modules:PubSub:{key}"] = value, ["Modules:PubSub:StateDirectory"] = string.Empty };
        if (key.StartsWith("Redis:", StringComparison.Ordinal))
        {
            settings["Modules:PubSub:Store"] = "Redis";
            settings.TryAdd("Modules:PubSub:Redis:Configuration", "127.0.0.1:1");
        }

        var error = Assert.Throws<OptionsValidationException>(() => new UdpModuleServer(new PubSubModule(), settings));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
