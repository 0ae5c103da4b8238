using Coap.Testing;
using Coap.Engine.Protocol;
using Services.Terminal.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Services.Terminal.Tests;

/// <summary>Sessions end and are removed on idle timeout, after the retention of an ended one, at the session limit's edge and at shutdown.</summary>
public sealed class SessionLifetimeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task An_idle_session_is_hung_up_and_removed()
    {
        // The idle timeout must outlast the way from the POST's answer to Find (a busy machine can stall that for
        // hundreds of milliseconds): a session removed before Find would leave the test nothing to wait for.
        await using var server = new TerminalServer(new() { ["Modules:Terminal:IdleTimeout"] = "00:00:03" });
        var created = await server.Client.PostAsync(server.Uri("/term/"), ReadOnlyMemory<byte>.Empty);
        var session = Sessions(server).Find(created.GetLocationPath().Split('/')[2])!;

        await session.Removed.WaitAsync(Patience);
        var status = await server.Client.GetAsync(server.Uri(created.GetLocationPath() + "status"));

        Assert.Equal(CoapCode.NotFound, status.Code);
        Assert.DoesNotContain(session.ProcessId, ProcessTable.Children());
    }

    [Fact]
    public async Task An_ended_session_stays_readable_for_its_retention_then_its_observers_get_4_04()
    {
        // The retention must outlast the way from the exit to the notification carrying it and the GET after it.
        await using var server = new TerminalServer(new() { ["Modules:Terminal:ExitedRetention"] = "00:00:03" });
        await using var client = await SessionClient.StartAsync(server);
        var session = Sessions(server).Find(client.Uri.Split('/')[4])!;

        await client.TypeAsync("echo bye-$((3*3)); exit 7\n");
        Assert.Equal(7, await client.Exit.WaitAsync(Patience));
        var readable = await server.Client.GetAsync(client.Uri + "out");
        await session.Removed.WaitAsync(Patience);
        var gone = await server.Client.GetAsync(client.Uri + "out");

        var (_, bytes, exit) = OutputChunkReader.Decode(readable.Payload);
        Assert.Contains("bye-9", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(7, exit);
        Assert.Equal(CoapCode.NotFound, gone.Code);
    }

    [Fact]
    public async Task One_session_more_than_the_limit_is_5_03_with_max_age()
    {
        await using var server = new TerminalServer(new() { ["Modules:Terminal:MaxSessions"] = "1" });

        var first = await server.Client.PostAsync(server.Uri("/term/"), ReadOnlyMemory<byte>.Empty);
        var second = await server.Client.PostAsync(server.Uri("/term/"), ReadOnlyMemory<byte>.Empty);

        Assert.Equal(CoapCode.Created, first.Code);
        Assert.Equal(CoapCode.ServiceUnavailable, second.Code);
        Assert.NotNull(second.MaxAge);
    }

    [Fact]
    public async Task Shutdown_hangs_up_every_session_even_one_that_ignores_sighup()
    {
        var before = ProcessTable.Children();
        var server = new TerminalServer(new() { ["Modules:Terminal:HangupGrace"] = "00:00:00.500" });
        var stubborn = await SessionClient.StartAsync(server);
        var plain = await SessionClient.StartAsync(server);
        await stubborn.TypeAsync("trap '' HUP; echo trapped-$((5+5))\n");
        await stubborn.WaitForAsync(t => t.Contains("trapped-10\r\n", StringComparison.Ordinal), "the trap");
        Assert.Equal(2, ProcessTable.Children().Except(before).Count());
        await stubborn.DisposeAsync();
        await plain.DisposeAsync();

        await server.DisposeAsync();

        Assert.Empty(ProcessTable.Children().Except(before));
    }

    private static TerminalSessions Sessions(TerminalServer server) => server.Server.Services.GetRequiredService<TerminalSessions>();
}
