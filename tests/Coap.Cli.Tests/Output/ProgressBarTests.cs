using Coap.Cli.Output;
using Coap.Engine.Client;
using Coap.Testing;

namespace Coap.Cli.Tests.Output;

public sealed class ProgressBarTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly StringWriter _error = new();

    private ProgressBar Bar(bool terminal) => new(new CliConsole(Stream.Null, _error, Stream.Null) { ErrorIsTerminal = terminal }, _time);

    [Fact]
    public void Nothing_is_drawn_when_stderr_is_not_a_terminal()
    {
        var bar = Bar(terminal: false);
        _time.Advance(TimeSpan.FromSeconds(5));

        bar.Report(new TransferProgress(512, 1024));
        bar.Clear();

        Assert.Equal(string.Empty, _error.ToString());
    }

    [Fact]
    public void A_short_transfer_draws_nothing()
    {
        var bar = Bar(terminal: true);
        _time.Advance(TimeSpan.FromMilliseconds(200));

        bar.Report(new TransferProgress(1024, 1024));
        bar.Clear();

        Assert.Equal(string.Empty, _error.ToString());
    }

    [Fact]
    public void A_long_transfer_draws_one_line_in_place_and_erases_it()
    {
        var bar = Bar(terminal: true);
        _time.Advance(TimeSpan.FromSeconds(1));

        bar.Report(new TransferProgress(512 * 1024, 1024 * 1024));
        bar.Report(new TransferProgress(600 * 1024, 1024 * 1024));
        _time.Advance(TimeSpan.FromSeconds(1));
        bar.Report(new TransferProgress(3000, null));
        bar.Clear();

        var text = _error.ToString();
        Assert.DoesNotContain('\n', text);
        Assert.StartsWith("\r[###############...............]  50% 512.0 KiB of 1.0 MiB", text, StringComparison.Ordinal);
        Assert.DoesNotContain("600.0 KiB", text, StringComparison.Ordinal);
        Assert.Contains("\r2.9 KiB transferred", text, StringComparison.Ordinal);
        Assert.EndsWith("\r", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_line_shows_the_goodput_and_the_blocks_asked_for_again()
    {
        var bar = Bar(terminal: true);
        _time.Advance(TimeSpan.FromSeconds(2));

        bar.Report(new TransferProgress(1024 * 1024, 2048 * 1024, Retransmissions: 7));
        bar.Clear();

        Assert.Contains("1.0 MiB of 2.0 MiB, 512.0 KiB/s, 7 blocks asked again", _error.ToString(), StringComparison.Ordinal);
    }
}
