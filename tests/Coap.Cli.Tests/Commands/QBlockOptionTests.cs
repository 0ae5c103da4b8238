namespace Coap.Cli.Tests.Commands;

/// <summary>--no-qblock turns Q-Block (RFC 9177) off; -v shows the transfer settings in force.</summary>
public sealed class QBlockOptionTests
{
    [Fact]
    public async Task Verbose_shows_q_block_on_by_default_and_off_with_no_qblock()
    {
        await using var server = new CliServer();

        var on = await CliRun.RunAsync("get", server.Uri("type"), "-v");
        var off = await CliRun.RunAsync("get", server.Uri("type"), "-v", "--no-qblock");

        Assert.Equal(0, on.ExitCode);
        Assert.Equal(0, off.ExitCode);
        Assert.Contains("transfer: block size 1024, Q-Block on (MAX_PAYLOADS 10, window 10-128 blocks), RTO from measured RTT (200 ms-60 s)", on.Error, StringComparison.Ordinal);
        Assert.Contains("Q-Block off", off.Error, StringComparison.Ordinal);
    }
}
