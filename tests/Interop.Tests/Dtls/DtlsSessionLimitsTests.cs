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

    private static System.Diagnostics.Process Observe(DtlsServerHarness server) =>
        Tool.Start(Tool.Find("coap-client-openssl"), ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-B", "60", "-s", "60", "-m", "get", server.Uri("counter")]);
}
