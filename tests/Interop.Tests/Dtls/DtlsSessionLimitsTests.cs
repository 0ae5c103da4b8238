using Coap.Engine.Server;

namespace Interop.Tests.Dtls;

/// <summary>The session table's bounds: a cap on sessions, and idle sessions forgotten.</summary>
public sealed class DtlsSessionLimitsTests
{
    [Fact]
    public async Task A_session_whose_peer_vanished_is_forgotten_after_the_idle_timeout()
    {
        await using var server = new DtlsServerHarness(new CoapSecurityOptions { SessionIdleTimeout = TimeSpan.FromSeconds(1) });
        using (var client = Observe(server))
        {
            try
            {
                Assert.True(SpinWait.SpinUntil(() => server.Counter.Observers.Count == 1, TimeSpan.FromSeconds(15)), "the client never observed");
            }
            finally
            {
                // Killed: no close_notify; the server keeps sending it notifications, which do not keep the session.
                client.Kill(entireProcessTree: true);
                await client.WaitForExitAsync();
            }
        }

        Assert.Equal(1, server.Transport.SessionCount);
        Assert.True(SpinWait.SpinUntil(() => server.Transport.SessionCount == 0, TimeSpan.FromSeconds(15)), "the idle session was kept");
    }

    [Fact]
    public async Task A_full_session_table_refuses_a_new_handshake_and_serves_the_sessions_it_has()
    {
        await using var server = new DtlsServerHarness(new CoapSecurityOptions { MaxSessions = 1 });
        using var first = Observe(server);
        try
        {
            Assert.True(SpinWait.SpinUntil(() => server.Counter.Observers.Count == 1, TimeSpan.FromSeconds(15)), "the first client never observed");

            var second = await Tool.RunAsync(
                Tool.Find("coap-client-openssl"),
                ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-B", "4", "-m", "get", server.Uri("whoami")],
                TimeSpan.FromSeconds(30));

            Assert.DoesNotContain("you are", second.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(0, server.WhoAmI.Calls);
            Assert.Equal(1, server.Transport.SessionCount);
            Assert.False(first.HasExited);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_handshake_beyond_the_cap_gets_nowhere_while_a_wrong_key_client_holds_the_only_slot()
    {
        // A wrong key is noticed only at the handshake timeout (its Finished does not decrypt and is dropped), so that
        // client holds the one slot for 10 s; a good client with 3 s of patience meanwhile must not get in.
        await using var server = new DtlsServerHarness(new CoapSecurityOptions { MaxHandshakes = 1, HandshakeTimeout = TimeSpan.FromSeconds(10) });
        using var holder = Tool.Start(Tool.Find("coap-client-openssl"), ["-u", DtlsServerHarness.Identity, "-k", "not-the-key", "-B", "30", "-m", "get", server.Uri("whoami")]);
        try
        {
            Assert.True(SpinWait.SpinUntil(() => server.Transport.HandshakeCount == 1, TimeSpan.FromSeconds(15)), "the wrong-key handshake never started");

            var blocked = await Tool.RunAsync(
                Tool.Find("coap-client-openssl"),
                ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-B", "3", "-m", "get", server.Uri("whoami")],
                TimeSpan.FromSeconds(30));
            var heldMeanwhile = server.Transport.HandshakeCount == 1;
            Assert.True(SpinWait.SpinUntil(() => server.Transport.HandshakeCount == 0, TimeSpan.FromSeconds(30)), "the held slot was never freed");
            var later = await Tool.RunAsync(
                Tool.Find("coap-client-openssl"),
                ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-B", "20", "-m", "get", server.Uri("whoami")],
                TimeSpan.FromSeconds(40));

            Assert.True(heldMeanwhile, "the wrong-key handshake ended before the good client gave up: the test proves nothing");
            Assert.DoesNotContain("you are", blocked.StandardOutput, StringComparison.Ordinal);
            Assert.Contains("you are alice", later.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
    }

    private static System.Diagnostics.Process Observe(DtlsServerHarness server) =>
        Tool.Start(Tool.Find("coap-client-openssl"), ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-B", "60", "-s", "60", "-m", "get", server.Uri("counter")]);
}
