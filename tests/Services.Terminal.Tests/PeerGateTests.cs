using System.Net;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Terminal.Tests;

/// <summary>Only loopback and AllowedPeers may use the terminal: anyone else gets 4.01 and no process starts.</summary>
public sealed class PeerGateTests : IAsyncLifetime
{
    private static readonly IPEndPoint Outsider = new(IPAddress.Parse("198.51.100.9"), 40001);
    private static readonly IPEndPoint Neighbour = new(IPAddress.Parse("192.0.2.7"), 40002);

    private readonly IReadOnlyList<int> _childrenBefore = ProcessTable.Children();
    private readonly ModuleServer _server = new(new TerminalModule(), new Dictionary<string, string?>
    {
        ["Modules:Terminal:Command"] = "/bin/sh",
        ["Modules:Terminal:AllowedPeers:0"] = "192.0.2.0/24",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Assert.Empty(ProcessTable.Children().Except(_childrenBefore));
    }

    [Fact]
    public void A_peer_outside_the_allowed_networks_gets_4_01_and_no_process_starts()
    {
        var outsider = new LockstepPeer(_server.Transport, Outsider);

        var start = Answered(outsider, Request(CoapCode.Post, 1, "term", string.Empty));
        outsider.Send(Request(CoapCode.Get, 2, "term", "0000", "out"));
        var read = outsider.Expect();

        Assert.Equal(CoapCode.Unauthorized, start.Code);
        Assert.False(start.Options.Contains(OptionNumber.Echo));
        Assert.Equal("/", start.GetLocationPath());
        Assert.Equal(CoapCode.Unauthorized, read.Code);
        Assert.Empty(ProcessTable.Children().Except(_childrenBefore));
    }

    [Fact]
    public async Task A_peer_in_an_allowed_network_starts_and_deletes_a_session()
    {
        var neighbour = new LockstepPeer(_server.Transport, Neighbour);

        var created = Verified(neighbour, Request(CoapCode.Post, 1, "term", string.Empty));
        var started = ProcessTable.Children().Except(_childrenBefore).ToList();
        var location = created.GetLocationPath().Trim('/').Split('/');
        neighbour.Send(Request(CoapCode.Delete, 2, [.. location, string.Empty]));
        var deleted = await neighbour.ExpectAsync();

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Single(started);
        Assert.Equal(CoapCode.Deleted, deleted.Code);
        Assert.Empty(ProcessTable.Children().Except(_childrenBefore));
    }

    [Fact]
    public async Task A_session_answers_only_the_peer_that_started_it_and_its_id_is_128_random_bits()
    {
        var neighbour = new LockstepPeer(_server.Transport, Neighbour);
        var other = new LockstepPeer(_server.Transport, new IPEndPoint(IPAddress.Parse("192.0.2.8"), 40003));
        var location = Verified(neighbour, Request(CoapCode.Post, 1, "term", string.Empty)).GetLocationPath().Trim('/').Split('/');

        other.Send(Request(CoapCode.Get, 2, [.. location, "status"]));
        var read = other.Expect();
        var delete = Verified(other, Request(CoapCode.Delete, 3, [.. location, string.Empty]));
        neighbour.Send(Request(CoapCode.Delete, 4, [.. location, string.Empty]));
        var own = await neighbour.ExpectAsync();

        Assert.Matches("^[0-9a-f]{32}$", location[1]);
        Assert.Equal(CoapCode.Forbidden, read.Code);
        Assert.Equal(CoapCode.Forbidden, delete.Code);
        Assert.Equal(CoapCode.Deleted, own.Code);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:192.0.2.7")]
    public void An_ipv4_mapped_source_on_a_socket_that_is_not_dual_mode_is_not_taken_for_ipv4(string address)
    {
        var mapped = new LockstepPeer(_server.Transport, new IPEndPoint(IPAddress.Parse(address), 40004));

        var start = Answered(mapped, Request(CoapCode.Post, 1, "term", string.Empty));

        Assert.False(_server.Transport.DualMode);
        Assert.Equal(CoapCode.Unauthorized, start.Code);
        Assert.False(start.Options.Contains(OptionNumber.Echo));
        Assert.Empty(ProcessTable.Children().Except(_childrenBefore));
    }

    [Fact]
    public async Task An_ipv4_peer_through_a_dual_mode_socket_matches_its_ipv4_network()
    {
        _server.Transport.DualMode = true;
        var mapped = new LockstepPeer(_server.Transport, new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 40005));
        var outsider = new LockstepPeer(_server.Transport, new IPEndPoint(IPAddress.Parse("::ffff:198.51.100.9"), 40006));

        var refused = Answered(outsider, Request(CoapCode.Post, 1, "term", string.Empty));
        var created = Verified(mapped, Request(CoapCode.Post, 2, "term", string.Empty));
        mapped.Send(Request(CoapCode.Delete, 3, [.. created.GetLocationPath().Trim('/').Split('/'), string.Empty]));
        var deleted = await mapped.ExpectAsync();

        Assert.Equal(CoapCode.Unauthorized, refused.Code);
        Assert.False(refused.Options.Contains(OptionNumber.Echo));
        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal(CoapCode.Deleted, deleted.Code);
    }

    [Fact]
    public void A_change_from_a_peer_that_has_not_verified_its_address_is_challenged_before_a_process_starts()
    {
        var neighbour = new LockstepPeer(_server.Transport, Neighbour);

        neighbour.Send(Request(CoapCode.Post, 1, "term", string.Empty));
        var challenge = neighbour.Expect();

        Assert.Equal(CoapCode.Unauthorized, challenge.Code);
        Assert.True(challenge.Options.Contains(OptionNumber.Echo));
        Assert.Empty(ProcessTable.Children().Except(_childrenBefore));
    }

    /// <summary>
    /// The answer to an unsafe request from a peer the engine has not verified (RFC 9175 §2.4): the first attempt is
    /// answered 4.01 with an Echo, the same request with that Echo (a new message ID) gets the real answer.
    /// </summary>
    private static CoapMessage Verified(LockstepPeer peer, CoapMessage request)
    {
        peer.Send(request);
        var challenge = peer.Expect();
        Assert.Equal(CoapCode.Unauthorized, challenge.Code);
        Assert.True(challenge.Options.TryGet(OptionNumber.Echo, out var echo));
        request.MessageId += 100;
        request.Options.Add(echo);
        peer.Send(request);
        return peer.Expect();
    }

    /// <summary>The answer to a request, through the Echo round trip when the engine asks for one.</summary>
    private static CoapMessage Answered(LockstepPeer peer, CoapMessage request)
    {
        peer.Send(request);
        var answer = peer.Expect();
        if (answer.Code != CoapCode.Unauthorized || !answer.Options.TryGet(OptionNumber.Echo, out var echo))
        {
            return answer;
        }

        request.MessageId += 100;
        request.Options.Add(echo);
        peer.Send(request);
        return peer.Expect();
    }

    private static CoapMessage Request(CoapCode code, ushort id, params string[] path)
    {
        var request = CoapMessage.CreateRequest(code, string.Empty);
        request.MessageId = id;
        request.Token = CoapToken.FromUInt64(id, 2);
        foreach (var segment in path)
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriPath, segment));
        }

        return request;
    }
}
