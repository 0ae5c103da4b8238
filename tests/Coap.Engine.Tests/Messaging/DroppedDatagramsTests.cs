using System.Text.RegularExpressions;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Tests.Messaging;

public sealed partial class DroppedDatagramsTests
{
    [Fact]
    public async Task A_thousand_malformed_datagrams_make_one_warning_per_interval_with_the_right_count()
    {
        var logs = new RecordingLogs();
        var time = new FakeTimeProvider();
        var (endpoint, transport) = TestEndpoints.StartServer(new ResourceTree(), time, loggers: logs);
        await using var _ = endpoint;
        var peer = new LockstepPeer(transport);
        var badOption = CoapMessageWriter.ToArray(ServerFixture.Request(CoapCode.Get, "x", 1));
        badOption[^2] = 0xF5;

        for (var i = 0; i < 1000; i++)
        {
            peer.SendRaw(i % 2 == 0 ? [0x40, 0x01] : badOption);
        }

        var during = Warnings(logs);
        time.Advance(TimeSpan.FromSeconds(10));
        var after = Warnings(logs);

        Assert.Single(during);
        Assert.Equal(2, after.Count);
        Assert.Equal(1000, after.Sum(Count));
        Assert.Contains("malformed 999", after[1]);
        Assert.Contains("127.0.0.1:40000", after[1]);
    }

    [Fact]
    public async Task Stray_ACKs_and_RSTs_are_counted_in_the_summary_by_kind()
    {
        var logs = new RecordingLogs();
        var time = new FakeTimeProvider();
        var (endpoint, transport) = TestEndpoints.StartServer(new ResourceTree(), time, loggers: logs);
        await using var _ = endpoint;
        var peer = new LockstepPeer(transport);

        for (ushort mid = 0; mid < 300; mid++)
        {
            peer.Send(CoapMessage.CreateEmpty(mid % 3 == 0 ? CoapMessageType.Reset : CoapMessageType.Acknowledgement, mid));
        }

        time.Advance(TimeSpan.FromSeconds(10));
        var warnings = Warnings(logs);

        Assert.Equal(2, warnings.Count);
        Assert.Equal(300, warnings.Sum(Count));
        Assert.Contains("unmatched ACK 200", warnings[1]);
        Assert.Contains("unmatched RST 99", warnings[1]);
        peer.ExpectNothing();
    }

    [Fact]
    public async Task A_summary_of_unmatched_ACKs_alone_is_information_not_a_warning()
    {
        var logs = new RecordingLogs();
        var (endpoint, transport) = TestEndpoints.StartServer(new ResourceTree(), new FakeTimeProvider(), loggers: logs);
        await using var _ = endpoint;

        new LockstepPeer(transport).Send(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, 1));

        Assert.Empty(Warnings(logs));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.StartsWith("1 datagrams dropped (unmatched ACK 1)", StringComparison.Ordinal));
    }

    private static List<string> Warnings(RecordingLogs logs) =>
        [.. logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message)];

    private static int Count(string warning) => int.Parse(LeadingCount().Match(warning).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d+) datagrams dropped")]
    private static partial Regex LeadingCount();
}
