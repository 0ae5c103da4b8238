using Coap.Testing;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Coap.Engine.Protocol;

namespace Services.Terminal.Tests;

/// <summary>A session running /bin/sh on a pseudo-terminal, driven over real UDP; every test ends with no child process left.</summary>
public sealed partial class TerminalSessionTests : IAsyncLifetime
{
    private readonly TerminalServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [GeneratedRegex(@"(?:\n|[#$] )hello-(\d+)\r\n")]
    private static partial Regex EchoLine();

    [GeneratedRegex(@"(?:\n|[#$] )(/dev/pts/\d+)\r\n")]
    private static partial Regex TtyLine();

    [GeneratedRegex(@"(?:\n|[#$] )(\d+) (\d+)\r\n")]
    private static partial Regex SizeLine();

    [Fact]
    public async Task Echo_of_the_shells_pid_comes_back_expanded_in_the_observed_output()
    {
        await using var session = await SessionClient.StartAsync(_server);

        await session.TypeAsync("echo hello-$$\n");
        var text = await session.WaitForAsync(t => EchoLine().IsMatch(t), "the expanded echo");

        Assert.Contains("echo hello-$$", text, StringComparison.Ordinal);
        var status = await Status.GetAsync(_server, session);
        Assert.Equal(status.Pid, int.Parse(EchoLine().Match(text).Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.True(status.Running);
    }

    [Fact]
    public async Task The_program_sees_a_pseudo_terminal_as_its_controlling_terminal_with_job_control()
    {
        await using var session = await SessionClient.StartAsync(_server);

        await session.TypeAsync("tty; case $- in *m*) echo job-control-$((1+1));; esac\n");
        var text = await session.WaitForAsync(t => TtyLine().IsMatch(t) && t.Contains("job-control-2\r\n", StringComparison.Ordinal), "a /dev/pts path and job control");

        var pts = TtyLine().Match(text).Groups[1].Value;
        var status = await Status.GetAsync(_server, session);
        var stat = await File.ReadAllTextAsync($"/proc/{status.Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.Equal(status.Pid.ToString(CultureInfo.InvariantCulture), fields[3]);
        var ttyNumber = int.Parse(fields[4], CultureInfo.InvariantCulture);
        Assert.Equal(136, ttyNumber >> 8);
        Assert.Equal(pts, "/dev/pts/" + ((ttyNumber & 0xff) | ((ttyNumber >> 12) & 0xfff00)).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Stty_size_reports_the_size_put()
    {
        await using var session = await SessionClient.StartAsync(_server);

        var put = await _server.Client.PutAsync(session.Uri + "size", OutputChunkReader.Size(37, 113), ContentFormat.Cbor);
        await session.TypeAsync("stty size\n");
        var text = await session.WaitForAsync(t => SizeLine().IsMatch(t), "the size");

        Assert.Equal(CoapCode.Changed, put.Code);
        var match = SizeLine().Match(text);
        Assert.Equal(("37", "113"), (match.Groups[1].Value, match.Groups[2].Value));
    }

    [Fact]
    public async Task Back_scroll_fetch_returns_earlier_output_and_plain_get_returns_all_held()
    {
        await using var session = await SessionClient.StartAsync(_server);
        await session.TypeAsync("echo first-$((40+2))\n");
        await session.WaitForAsync(t => t.Contains("first-42\r\n", StringComparison.Ordinal), "the first line");
        await session.TypeAsync("echo second-$((50+5))\n");
        var text = await session.WaitForAsync(t => t.Contains("second-55\r\n", StringComparison.Ordinal), "the second line");

        var from = text.IndexOf("first-42", StringComparison.Ordinal);
        var fetched = await _server.Client.FetchAsync(session.Uri + "out", OutputChunkReader.Offset(from), ContentFormat.Cbor);
        var all = await _server.Client.GetAsync(session.Uri + "out");

        Assert.Equal(CoapCode.Content, fetched.Code);
        Assert.Equal(ContentFormat.CborSeq, fetched.ContentFormat);
        var (offset, bytes, exit) = OutputChunkReader.Decode(fetched.Payload);
        Assert.Equal(from, offset);
        Assert.StartsWith("first-42\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Contains("second-55\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Null(exit);
        var (allOffset, allBytes, _) = OutputChunkReader.Decode(all.Payload);
        Assert.Equal(0, allOffset);
        Assert.StartsWith(text, Encoding.UTF8.GetString(allBytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_resent_with_the_same_offset_is_typed_once()
    {
        await using var session = await SessionClient.StartAsync(_server);
        var line = Encoding.UTF8.GetBytes("echo once-$((20+3))\n");

        var first = await _server.Client.PostAsync(session.Uri + "in", OutputChunkReader.Pair(0, line), ContentFormat.Cbor);
        var again = await _server.Client.PostAsync(session.Uri + "in", OutputChunkReader.Pair(0, line), ContentFormat.Cbor);
        var overlapping = await _server.Client.PostAsync(session.Uri + "in", OutputChunkReader.Pair(5, [.. line[5..], .. "echo done\n"u8]), ContentFormat.Cbor);
        var text = await session.WaitForAsync(t => Regex.IsMatch(t, @"(?:\n|[#$] )done\r\n"), "the end marker");

        Assert.Equal([CoapCode.Changed, CoapCode.Changed, CoapCode.Changed], new[] { first.Code, again.Code, overlapping.Code });
        Assert.Equal([line.Length, line.Length, line.Length + 10], new[] { first, again, overlapping }.Select(r => OutputChunkReader.DecodeOffset(r.Payload)));
        Assert.Single(Regex.Matches(text, @"once-23\r\n"));
        Assert.Single(Regex.Matches(text, @"(?:\n|[#$] )done\r\n"));
    }

    [Fact]
    public async Task Exit_3_ends_the_session_and_the_observer_and_the_status_see_3()
    {
        await using var session = await SessionClient.StartAsync(_server);

        await session.TypeAsync("exit 3\n");
        var exit = await session.Exit.WaitAsync(TimeSpan.FromSeconds(15));
        var status = await Status.GetAsync(_server, session);

        Assert.Equal(3, exit);
        Assert.False(status.Running);
        Assert.Equal(3, status.Exit);
        Assert.DoesNotContain(status.Pid, ProcessTable.Children());
    }

    [Fact]
    public async Task Delete_hangs_up_the_session_and_its_background_jobs()
    {
        await using var session = await SessionClient.StartAsync(_server);
        await session.TypeAsync("sleep 1000 & echo job-$!\n");
        var text = await session.WaitForAsync(t => JobLine().IsMatch(t), "the job's pid");
        var job = int.Parse(JobLine().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var shell = (await Status.GetAsync(_server, session)).Pid;

        var deleted = await _server.Client.DeleteAsync(session.Uri);
        var status = await _server.Client.GetAsync(session.Uri + "status");

        Assert.Equal(CoapCode.Deleted, deleted.Code);
        Assert.Equal(CoapCode.NotFound, status.Code);
        Assert.DoesNotContain(shell, ProcessTable.Children());
        Assert.True(await ProcessExit.WithinAsync(job, TimeSpan.FromSeconds(10)), "the background job survived the hang-up");
    }

    [Fact]
    public async Task Large_output_is_notified_newest_first_and_the_rest_fetched_and_read_block_wise()
    {
        await using var session = await SessionClient.StartAsync(_server);

        // Into a pipe seq writes 4 KiB at a time, so every notification (at most 1000 bytes) skips output to fetch.
        await session.TypeAsync("seq 1 3000 | cat; echo end-$((1+1))\n");
        var observed = await session.WaitForAsync(t => t.Contains("end-2\r\n", StringComparison.Ordinal), "the end of the listing");
        var all = await _server.Client.GetAsync(session.Uri + "out");

        Assert.Matches(@"(?:\n|[#$] )1\r\n2\r\n3\r\n", observed);
        Assert.Contains(string.Concat(Enumerable.Range(1, 3000).Select(i => $"{i}\r\n")), observed, StringComparison.Ordinal);
        Assert.True(session.Fetches > 0, "no notification skipped output to be fetched");

        var (_, bytes, _) = OutputChunkReader.Decode(all.Payload);
        Assert.True(bytes.Length > 10_000, $"only {bytes.Length} bytes");
        Assert.Contains("\r\n2999\r\n3000\r\nend-2\r\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_blocks_of_one_fetch_come_from_one_snapshot_while_the_output_grows_and_a_new_fetch_is_fresh()
    {
        await using var session = await SessionClient.StartAsync(_server);
        await session.TypeAsync("seq 1 500; echo first-$((2*3))\n");
        await session.WaitForAsync(t => t.Contains("first-6\r\n", StringComparison.Ordinal), "the first listing");

        var block0 = await FetchBlockAsync(session, 0);
        await session.TypeAsync("echo later-$((3*3))\n");
        await session.WaitForAsync(t => t.Contains("later-9\r\n", StringComparison.Ordinal), "the later line");
        var block1 = await FetchBlockAsync(session, 1);
        var fresh = await _server.Client.FetchAsync(session.Uri + "out", OutputChunkReader.Offset(0), ContentFormat.Cbor);

        Assert.Equal(CoapCode.Content, block1.Code);
        Assert.Equal(ETag(block0), ETag(block1));
        Assert.Contains("later-9", Encoding.UTF8.GetString(OutputChunkReader.Decode(fresh.Payload).Bytes), StringComparison.Ordinal);
    }

    private static byte[] ETag(CoapMessage response)
    {
        Assert.True(response.Options.TryGet(OptionNumber.ETag, out var tag));
        return tag.Value.ToArray();
    }

    /// <summary>One Block2 block (1024 bytes) of FETCH offset 0, asked for by hand.</summary>
    private async Task<CoapMessage> FetchBlockAsync(SessionClient session, int number)
    {
        var request = _server.Client.NewRequest(CoapCode.Fetch, OutputChunkReader.Offset(0), ContentFormat.Cbor);
        Coap.Engine.Client.CoapUri.Parse(session.Uri + "out").ApplyTo(request);
        request.Options.Add(new BlockValue(number, false, 6).ToOption(OptionNumber.Block2));
        var remote = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _server.Server.Port);
        var response = await _server.Client.SendAsync(request, remote);
        Assert.Equal(CoapCode.Content, response.Code);
        return response;
    }

    [GeneratedRegex(@"(?:\n|[#$] )job-(\d+)\r\n")]
    private static partial Regex JobLine();
}
