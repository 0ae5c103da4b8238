using System.Net;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Terminal.Tests;

/// <summary>
/// With the engine's access policy, a session belongs to the identity that started it (as a DTLS transport reports
/// it at the IdentityOf seam; here the lockstep transport): the same identity from another address uses it, another
/// identity (from any address, the owner's too) gets 4.03, and an anonymous peer gets 4.01 before the terminal runs.
/// </summary>
public sealed class SessionIdentityTests : IAsyncLifetime
{
    private static readonly IPEndPoint Alice = new(IPAddress.Parse("192.0.2.20"), 40001);
    private static readonly IPEndPoint AliceElsewhere = new(IPAddress.Parse("192.0.2.21"), 41001);
    private static readonly IPEndPoint Bob = new(IPAddress.Parse("192.0.2.22"), 40002);
    private static readonly IPEndPoint Stranger = new(IPAddress.Parse("192.0.2.23"), 40003);

    private readonly IReadOnlyList<int> _childrenBefore = ProcessTable.Children();
    private readonly ModuleServer _server = new([new TerminalModule()], new Dictionary<string, string?>
    {
        ["Modules:Terminal:Command"] = "/bin/sh",
        ["Modules:Terminal:AllowedPeers:0"] = "192.0.2.0/24",
    }, accessPolicy: true);

    private ushort _id;

    public SessionIdentityTests()
    {
        _server.Transport.Authenticate(Alice, "alice");
        _server.Transport.Authenticate(AliceElsewhere, "alice");
        _server.Transport.Authenticate(Bob, "bob");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Assert.Empty(ProcessTable.Children().Except(_childrenBefore));
    }

    [Fact]
    public async Task The_identity_that_started_a_session_uses_it_from_another_address_and_nobody_else_does()
    {
        var created = await Answered(Alice, CoapCode.Post, "term", string.Empty);
        var location = created.GetLocationPath().Trim('/').Split('/');

        var aliceElsewhere = await Answered(AliceElsewhere, CoapCode.Get, [.. location, "status"]);
        var bob = await Answered(Bob, CoapCode.Get, [.. location, "status"]);
        var bobDeletes = await Answered(Bob, CoapCode.Delete, [.. location, string.Empty]);
        var stranger = await Answered(Stranger, CoapCode.Get, [.. location, "status"]);
        var deleted = await Answered(AliceElsewhere, CoapCode.Delete, [.. location, string.Empty]);

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal(CoapCode.Content, aliceElsewhere.Code);
        Assert.Equal(CoapCode.Forbidden, bob.Code);
        Assert.Equal(CoapCode.Forbidden, bobDeletes.Code);
        Assert.Equal(CoapCode.Unauthorized, stranger.Code);
        Assert.Equal(CoapCode.Deleted, deleted.Code);
    }

    [Fact]
    public async Task Another_identity_on_the_owners_address_gets_4_03()
    {
        var created = await Answered(Alice, CoapCode.Post, "term", string.Empty);
        var location = created.GetLocationPath().Trim('/').Split('/');

        _server.Transport.Authenticate(Alice, "bob");
        var bob = await Answered(Alice, CoapCode.Get, [.. location, "status"]);
        _server.Transport.Authenticate(Alice, "alice");
        var alice = await Answered(Alice, CoapCode.Get, [.. location, "status"]);

        Assert.Equal(CoapCode.Forbidden, bob.Code);
        Assert.Equal(CoapCode.Content, alice.Code);
    }

    /// <summary>The answer to a request, through the Echo round trip when the engine asks for one (RFC 9175).</summary>
    private async Task<CoapMessage> Answered(IPEndPoint from, CoapCode method, params string[] path)
    {
        var peer = new LockstepPeer(_server.Transport, from);
        var request = CoapMessage.CreateRequest(method, string.Empty);
        foreach (var segment in path)
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriPath, segment));
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
