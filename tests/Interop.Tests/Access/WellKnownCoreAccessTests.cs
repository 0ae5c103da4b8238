using Coap.Engine.Protocol;

namespace Interop.Tests.Access;

/// <summary>
/// /.well-known/core lists only what the requester may read: the terminal (every method a write) is left out for
/// anonymous peers and for identities the rules keep out of it, and listed for those they let in.
/// </summary>
public sealed class WellKnownCoreAccessTests
{
    [Fact]
    public async Task The_terminal_is_listed_only_to_requesters_who_may_use_it()
    {
        await using var server = new AccessServer(new() { ["Access:Rules:term:Write"] = "@admin loopback" });

        var anonymous = AccessServer.Text(await server.SendAsync(AccessServer.Outsider, AccessServer.Request(CoapCode.Get, ".well-known/core")));
        var alice = AccessServer.Text(await server.SendAsync(AccessServer.AliceAt, AccessServer.Request(CoapCode.Get, ".well-known/core")));
        var local = AccessServer.Text(await server.SendAsync(AccessServer.Local, AccessServer.Request(CoapCode.Get, ".well-known/core")));
        var root = AccessServer.Text(await server.SendAsync(AccessServer.RootAt, AccessServer.Request(CoapCode.Get, ".well-known/core")));

        foreach (var everyone in new[] { anonymous, alice, local, root })
        {
            Assert.Contains("</time>", everyone, StringComparison.Ordinal);
            Assert.Contains("</dns>", everyone, StringComparison.Ordinal);
            Assert.Contains("</ps>", everyone, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("</term", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain("</term", alice, StringComparison.Ordinal);
        Assert.Contains("</term", local, StringComparison.Ordinal);
        Assert.Contains("</term", root, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_that_closes_reading_hides_the_resource_from_those_it_keeps_out()
    {
        await using var server = new AccessServer(new() { ["Access:Rules:time:Read"] = "alice" });

        var anonymous = AccessServer.Text(await server.SendAsync(AccessServer.Outsider, AccessServer.Request(CoapCode.Get, ".well-known/core")));
        var alice = AccessServer.Text(await server.SendAsync(AccessServer.AliceAt, AccessServer.Request(CoapCode.Get, ".well-known/core")));
        var read = await server.SendAsync(AccessServer.RootAt, AccessServer.Request(CoapCode.Get, "time"));

        Assert.DoesNotContain("</time>", anonymous, StringComparison.Ordinal);
        Assert.Contains("</time>", alice, StringComparison.Ordinal);
        Assert.Equal(CoapCode.Forbidden, read.Code);
    }
}
