using Coap.Testing;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Server.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoapHost.Tests;

/// <summary>
/// The "Access" settings as the host reads them, from the command line: bad ones stop start-up naming the key, good
/// ones decide over real UDP what a loopback client may change (creating a topic is a write).
/// </summary>
public sealed class AccessConfigurationTests
{
    [Theory]
    [InlineData("--Access:TrustLoopback=maybe", "Access:TrustLoopback")]
    [InlineData("--Access:Rules:files:Write=@ops", "Access:Rules:files:Write")]
    [InlineData("--Access:Rules:files:Write=,", "Access:Rules:files:Write")]
    [InlineData("--Access:Rules:files:Wirte=alice", "Wirte")]
    [InlineData("--Access:Rules:a//b:Write=alice", "Access:Rules:a//b")]
    [InlineData("--Access:Rules:files{x}:Write=alice", "Access:Rules:files{x}")]
    [InlineData("--Access:Groups:admin:0= ", "Access:Groups:admin:0")]
    [InlineData("--Access:Groups:@admin:0=alice", "Access:Groups:@admin")]
    [InlineData("--Modules:PubSub:AdminGroup=a b", "Modules:PubSub:AdminGroup")]
    public async Task Bad_access_setting_stops_start_up_naming_the_key(string argument, string key)
    {
        var message = await HostFixture.StartupErrorAsync(argument);

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "2.01")]
    [InlineData(new[] { "--Access:TrustLoopback=false" }, "4.01")]
    [InlineData(new[] { "--Access:TrustLoopback=false", "--Access:Rules:ps:POST=anyone" }, "2.01")]
    [InlineData(new[] { "--Access:Rules:/:Write=@admin", "--Access:Groups:admin:0=alice" }, "4.03")]
    [InlineData(new[] { "--Access:Rules:/:Write=nobody", "--Access:Rules:ps:Write=loopback" }, "2.01")]
    public async Task A_loopback_client_creates_a_topic_as_the_access_settings_say(string[] access, string expected)
    {
        await using var host = await HostFixture.StartAsync(["--Modules:PubSub:StateDirectory=", .. access]);
        await using var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        var request = client.NewRequest(CoapCode.Post, TopicMaps.Named("rooms"), 606);

        var response = await client.SendAsync(request, CoapUri.Parse(host.Uri("ps")), new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        var read = await client.GetAsync(host.Uri("ps"));

        Assert.Equal(expected, response.Code.ToString());
        Assert.Equal(CoapCode.Content, read.Code);
    }

    /// <summary>The example of docs/configuration.md, as appsettings.json would carry it, binds and passes validation.</summary>
    [Fact]
    public void The_documented_json_example_binds()
    {
        const string Json = """
            {
              "Access": {
                "TrustLoopback": true,
                "Groups": { "admin": [ "alice" ], "sensors": [ "node-1", "node-2" ] },
                "Rules": {
                  "files":        { "Write": "@admin" },
                  "files/inbox":  { "PUT": "authenticated" },
                  "ps":           { "Write": "@admin @sensors loopback" },
                  "term":         { "Write": "@admin" },
                  "time":         { "Read": "authenticated" }
                }
              }
            }
            """;
        using var host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0"], c => c.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))));

        var options = host.Services.GetRequiredService<IOptions<AccessOptions>>().Value;
        var policy = host.Services.GetRequiredService<AccessPolicy>();

        Assert.Equal(["node-1", "node-2"], options.Groups["sensors"]);
        Assert.Equal("authenticated", options.Rules["files/inbox"].Put);
        Assert.True(policy.IsMember(new Principal(PrincipalKind.Identity, "alice"), "admin"));
        Assert.False(policy.IsMember(new Principal(PrincipalKind.Identity, "node-1"), "admin"));
    }
}
