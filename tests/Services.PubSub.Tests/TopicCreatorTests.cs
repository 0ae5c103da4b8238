using System.Net;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.PubSub.Tests;

/// <summary>
/// A topic records the identity that created it, and only that identity or a member of the admin group
/// (Modules:PubSub:AdminGroup, "admin" by default) may reconfigure or delete it; others get 4.03, anonymous peers
/// 4.01. Publishing and reading stay with the access policy (any identity publishes, anyone reads).
/// </summary>
public sealed class TopicCreatorTests
{
    private static readonly IPEndPoint Alice = new(IPAddress.Parse("192.0.2.20"), 40001);
    private static readonly IPEndPoint AliceElsewhere = new(IPAddress.Parse("192.0.2.21"), 41001);
    private static readonly IPEndPoint Bob = new(IPAddress.Parse("192.0.2.22"), 40002);
    private static readonly IPEndPoint Carol = new(IPAddress.Parse("192.0.2.23"), 40003);
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 40004);

    private ushort _id;

    [Fact]
    public async Task Only_the_creator_or_an_admin_reconfigures_or_deletes_a_topic()
    {
        await using var server = Start(new() { ["Access:Groups:admin:0"] = "carol" });
        var (topic, data) = await CreateAsync(server, Alice, "rooms");

        var bobPatches = await Send(server, Bob, CoapCode.IPatch, topic, Maps.Of((4, "hijacked")), Maps.Format);
        var bobReplaces = await Send(server, Bob, CoapCode.Post, topic, Maps.Topic("rooms", (4, "hijacked")), Maps.Format);
        var bobDeletes = await Send(server, Bob, CoapCode.Delete, topic);
        var loopbackDeletes = await Send(server, Loopback, CoapCode.Delete, topic);
        var bobPublishes = await Send(server, Bob, CoapCode.Put, data, "21"u8.ToArray(), ContentFormat.TextPlain);
        var alicePatches = await Send(server, AliceElsewhere, CoapCode.IPatch, topic, Maps.Of((4, "temperature")), Maps.Format);
        var carolPatches = await Send(server, Carol, CoapCode.IPatch, topic, Maps.Of((4, "degrees")), Maps.Format);
        var carolDeletes = await Send(server, Carol, CoapCode.Delete, topic);

        Assert.Equal(CoapCode.Forbidden, bobPatches.Code);
        Assert.Equal(CoapCode.Forbidden, bobReplaces.Code);
        Assert.Equal(CoapCode.Forbidden, bobDeletes.Code);
        Assert.Equal(CoapCode.Forbidden, loopbackDeletes.Code);
        Assert.Equal(CoapCode.Created, bobPublishes.Code);
        Assert.Equal(CoapCode.Changed, alicePatches.Code);
        Assert.Equal("temperature", Maps.Read(alicePatches.Payload)[4]);
        Assert.Equal(CoapCode.Changed, carolPatches.Code);
        Assert.Equal(CoapCode.Deleted, carolDeletes.Code);
    }

    [Fact]
    public async Task The_creator_deletes_its_own_topic_and_the_admin_group_is_configurable()
    {
        await using var server = Start(new()
        {
            ["Access:Groups:admin:0"] = "carol",
            ["Access:Groups:ops:0"] = "bob",
            ["Modules:PubSub:AdminGroup"] = "ops",
        });
        var (first, _) = await CreateAsync(server, Alice, "first");
        var (second, _) = await CreateAsync(server, Alice, "second");
        var (local, _) = await CreateAsync(server, Loopback, "local");

        var carol = await Send(server, Carol, CoapCode.Delete, first);
        var bob = await Send(server, Bob, CoapCode.Delete, first);
        var alice = await Send(server, Alice, CoapCode.Delete, second);
        var loopback = await Send(server, Loopback, CoapCode.Delete, local);

        Assert.Equal(CoapCode.Forbidden, carol.Code);
        Assert.Equal(CoapCode.Deleted, bob.Code);
        Assert.Equal(CoapCode.Deleted, alice.Code);
        Assert.Equal(CoapCode.Deleted, loopback.Code);
    }

    [Fact]
    public async Task Where_a_rule_lets_anonymous_peers_write_their_topics_are_kept_by_address()
    {
        await using var server = Start(new() { ["Access:Rules:ps:Write"] = "anyone" });
        var stranger = new IPEndPoint(IPAddress.Parse("198.51.100.9"), 40005);
        var sameHost = new IPEndPoint(stranger.Address, 40006);
        var (topic, _) = await CreateAsync(server, stranger, "open");

        var other = await Send(server, new IPEndPoint(IPAddress.Parse("198.51.100.10"), 40007), CoapCode.Delete, topic);
        var own = await Send(server, sameHost, CoapCode.Delete, topic);

        Assert.Equal(CoapCode.Unauthorized, other.Code);
        Assert.Equal(CoapCode.Deleted, own.Code);
    }

    private static ModuleServer Start(Dictionary<string, string?> settings)
    {
        settings["Modules:PubSub:StateDirectory"] = string.Empty;
        var server = new ModuleServer([new PubSubModule()], settings, accessPolicy: true);
        foreach (var (at, identity) in new[] { (Alice, "alice"), (AliceElsewhere, "alice"), (Bob, "bob"), (Carol, "carol") })
        {
            server.Transport.Authenticate(at, identity);
        }

        return server;
    }

    private async Task<(string Topic, string Data)> CreateAsync(ModuleServer server, IPEndPoint from, string name)
    {
        var created = await Send(server, from, CoapCode.Post, "ps", Maps.Topic(name), Maps.Format);
        Assert.Equal(CoapCode.Created, created.Code);
        return (created.GetLocationPath().TrimStart('/'), (string)Maps.Read(created.Payload)[1]);
    }

    /// <summary>The answer to a request, through the Echo round trip when the engine asks for one (RFC 9175).</summary>
    private async Task<CoapMessage> Send(ModuleServer server, IPEndPoint from, CoapCode method, string path, byte[]? payload = null, int? format = null)
    {
        var peer = new LockstepPeer(server.Transport, from);
        var request = CoapMessage.CreateRequest(method, path);
        if (payload is not null)
        {
            request.Payload = payload;
            request.ContentFormat = format;
        }

        request.MessageId = ++_id;
        request.Token = CoapToken.FromUInt64(_id, 2);
        peer.Send(request);
        var answer = await peer.ExpectAsync();
        if (answer.Code != CoapCode.Unauthorized || !answer.Options.TryGet(OptionNumber.Echo, out var echo))
        {
            return answer;
        }

        request.MessageId = ++_id;
        request.Options.Add(echo);
        peer.Send(request);
        return await peer.ExpectAsync();
    }
}
