using System.Text;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Server;

public sealed class WellKnownCoreTests
{
    private static ServerFixture Start() => new(tree =>
    {
        tree.Map("time", TestObservableResource.Text(() => "t"), new ResourceMetadata { ResourceTypes = ["core.time"], ContentFormats = [0, 60], Observable = true });
        tree.Map("files/{**path}", TestResource.Text("f"), new ResourceMetadata { ResourceTypes = ["core.fs"], ContentFormats = [40] });
        tree.Map("ps", TestResource.Text("p"), new ResourceMetadata { ResourceTypes = ["core.ps.coll"], ContentFormats = [40], Title = "broker" });
        tree.Map("ps/{topic}", TestResource.Text("topic"));
        tree.Map("hidden", TestResource.Text("h"), new ResourceMetadata { Hidden = true });
        tree.Map(WellKnownCoreResource.Path, new WellKnownCoreResource(tree), WellKnownCoreResource.Metadata);
    });

    private static IReadOnlyList<WebLink> Get(ServerFixture server, params string[] queries)
    {
        var request = ServerFixture.Request(CoapCode.Get, ".well-known/core", 1);
        foreach (var query in queries)
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, query));
        }

        server.Peer.Send(request);
        var reply = server.Peer.Expect();
        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.Equal(ContentFormat.LinkFormat, reply.ContentFormat);
        Assert.True(LinkFormatParser.TryParse(Encoding.UTF8.GetString(reply.Payload.Span), out var links, out var error), error);
        return links;
    }

    [Fact]
    public async Task Lists_resources_with_their_attributes_and_leaves_out_hidden_and_parameterised_paths()
    {
        await using var server = Start();

        var links = Get(server);

        Assert.Equal(["/files/", "/ps", "/time"], links.Select(l => l.Target));
        var time = links.Single(l => l.Target == "/time");
        Assert.Equal("core.time", time.GetAttribute("rt"));
        Assert.Equal(["0", "60"], time.GetAttributeValues("ct"));
        Assert.True(time.HasAttribute("obs"));
        Assert.Equal("broker", links.Single(l => l.Target == "/ps").GetAttribute("title"));
    }

    [Theory]
    [InlineData("rt=core.ps*", "/ps")]
    [InlineData("href=/files*", "/files/")]
    [InlineData("ct=60", "/time")]
    [InlineData("rt=core.time", "/time")]
    public async Task Query_filters_the_links(string query, string expected)
    {
        await using var server = Start();

        var links = Get(server, query);

        Assert.Equal([expected], links.Select(l => l.Target));
    }

    [Fact]
    public async Task Query_matching_nothing_gives_an_empty_document()
    {
        await using var server = Start();

        Assert.Empty(Get(server, "rt=nothing"));
    }
}
