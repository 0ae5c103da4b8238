using System.Net;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Server.Access;
using Coap.Testing;
using Microsoft.Extensions.Options;

namespace Coap.Engine.Tests.Server;

/// <summary>
/// How the access stage judges a request: by the requester (an identity the transport reports, a trusted loopback
/// peer, anonymous), by whether the method writes the resource it was routed to, and by the rule with the longest
/// path prefix that says something of that method; a refused request never reaches the resource.
/// </summary>
public sealed class AccessPolicyTests : IAsyncLifetime
{
    private static readonly IPEndPoint Stranger = new(IPAddress.Parse("192.0.2.7"), 40001);
    private static readonly IPEndPoint Alice = new(IPAddress.Parse("192.0.2.20"), 40002);
    private static readonly IPEndPoint Local = new(IPAddress.Loopback, 40003);

    private readonly TestResource _data = TestResource.Text("data");
    private readonly TestResource _private = TestResource.Text("shell");
    private readonly TestResource _queries = TestResource.Text("answer");
    private CoapEndpoint? _endpoint;
    private ushort _id;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }
    }

    [Fact]
    public void By_default_anyone_reads_and_only_identities_and_loopback_peers_write()
    {
        var server = Start(new AccessOptions());

        Assert.Equal("2.05", Send(server, Stranger, CoapCode.Get, "data/x"));
        Assert.Equal("4.01", Send(server, Stranger, CoapCode.Put, "data/x"));
        Assert.Equal("4.01", Send(server, Stranger, CoapCode.Delete, "data/x"));
        Assert.Equal(1, _data.Calls);
        Assert.Equal("2.05", Send(server, Alice, CoapCode.Put, "data/x"));
        Assert.Equal("2.05", Send(server, Local, CoapCode.Post, "data/x"));
    }

    [Fact]
    public void Without_trusting_loopback_a_loopback_peer_is_anonymous()
    {
        var server = Start(new AccessOptions { TrustLoopback = false });

        Assert.Equal("2.05", Send(server, Local, CoapCode.Get, "data/x"));
        Assert.Equal("4.01", Send(server, Local, CoapCode.Put, "data/x"));
    }

    [Fact]
    public void An_ipv4_mapped_loopback_source_on_a_socket_that_is_not_dual_mode_is_not_loopback()
    {
        var server = Start(new AccessOptions());

        Assert.Equal("4.01", Send(server, new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 40004), CoapCode.Put, "data/x"));
    }

    [Fact]
    public void The_longest_prefix_that_speaks_of_the_method_decides()
    {
        var server = Start(Rules(("data", new AccessRule { Write = "nobody" }), ("data/open", new AccessRule { Write = "anyone" }), ("/", new AccessRule { Read = "alice" })));

        Assert.Equal("2.05", Send(server, Stranger, CoapCode.Put, "data/open/x"));
        Assert.Equal("4.01", Send(server, Stranger, CoapCode.Put, "data/x"));
        Assert.Equal("4.03", Send(server, Alice, CoapCode.Put, "data/x"));
        Assert.Equal("4.03", Send(server, Local, CoapCode.Put, "data/x"));
        Assert.Equal("4.01", Send(server, Stranger, CoapCode.Get, "data/open/x"));
        Assert.Equal("2.05", Send(server, Alice, CoapCode.Get, "data/open/x"));
    }

    [Fact]
    public void A_methods_own_key_wins_over_its_class_in_the_same_rule()
    {
        var server = Start(Rules(("data", new AccessRule { Write = "nobody", Put = "alice" })));

        Assert.Equal("2.05", Send(server, Alice, CoapCode.Put, "data/x"));
        Assert.Equal("4.03", Send(server, Alice, CoapCode.Delete, "data/x"));
    }

    [Fact]
    public void Groups_and_keywords_name_who_may()
    {
        var options = Rules(("data", new AccessRule { Write = "@admin, loopback" }));
        options.Groups["admin"] = ["alice"];
        var server = Start(options);

        Assert.Equal("2.05", Send(server, Alice, CoapCode.Put, "data/x"));
        Assert.Equal("2.05", Send(server, Local, CoapCode.Put, "data/x"));
        server.Authenticate(Stranger, "bob");
        Assert.Equal("4.03", Send(server, Stranger, CoapCode.Put, "data/x"));
    }

    [Fact]
    public void A_private_resource_needs_the_write_permission_to_be_read()
    {
        var server = Start(new AccessOptions());

        Assert.Equal("4.01", Send(server, Stranger, CoapCode.Get, "private"));
        Assert.Equal("2.05", Send(server, Local, CoapCode.Get, "private"));
        Assert.Equal(1, _private.Calls);
    }

    [Fact]
    public void A_resource_that_declares_its_write_methods_is_read_by_the_others_post_too()
    {
        var server = Start(new AccessOptions());

        Assert.Equal("2.05", Send(server, Stranger, CoapCode.Post, "queries"));
        Assert.Equal("2.05", Send(server, Stranger, CoapCode.Fetch, "queries"));
        Assert.Equal("4.01", Send(server, Stranger, CoapCode.Delete, "queries"));
    }

    private static AccessOptions Rules(params (string Path, AccessRule Rule)[] rules)
    {
        var options = new AccessOptions();
        foreach (var (path, rule) in rules)
        {
            options.Rules[path] = rule;
        }

        return options;
    }

    private InMemoryTransport Start(AccessOptions options)
    {
        var tree = new ResourceTree();
        tree.Map("data/{**path}", _data);
        tree.Map("private", _private, new ResourceMetadata { Private = true });
        tree.Map("queries", _queries, new ResourceMetadata { WriteMethods = [CoapCode.Delete] });
        var (endpoint, transport) = TestEndpoints.StartServer(tree, new FakeTimeProvider(), access: new AccessPolicy(Options.Create(options)));
        transport.Authenticate(Alice, "alice");
        _endpoint = endpoint;
        return transport;
    }

    private string Send(InMemoryTransport server, IPEndPoint from, CoapCode method, string path)
    {
        var peer = new LockstepPeer(server, from);
        var request = CoapMessage.CreateRequest(method, path);
        request.MessageId = ++_id;
        request.Token = CoapToken.FromUInt64(_id, 2);
        peer.Send(request);
        return peer.Expect().Code.ToString();
    }
}
