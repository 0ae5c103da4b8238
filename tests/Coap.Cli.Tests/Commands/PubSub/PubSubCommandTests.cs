using System.Formats.Cbor;
using System.Text.RegularExpressions;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Testing;
using Services.PubSub;

namespace Coap.Cli.Tests.Commands.PubSub;

/// <summary>`coap ps`, `coap pub` and `coap sub` against the real broker module on loopback UDP.</summary>
public sealed partial class PubSubCommandTests : IAsyncLifetime
{
    private readonly UdpModuleServer _broker = new(new PubSubModule(), new Dictionary<string, string?> { ["Modules:PubSub:StateDirectory"] = string.Empty });

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _broker.DisposeAsync().AsTask();

    [Fact]
    public async Task Ps_create_prints_the_topic_and_data_uris_and_ls_lists_them_as_a_table()
    {
        var created = await CliRun.RunAsync("ps", "create", _broker.Uri("ps"), "kitchen/temp", "--content-format", "60", "--type", "temperature", "--max-subscribers", "5");
        await CliRun.RunAsync("ps", "create", _broker.Uri("ps"), "door");

        var listed = await CliRun.RunAsync("ps", "ls", _broker.Uri("ps"));

        Assert.Equal(0, created.ExitCode);
        var data = DataLine().Match(created.Text).Groups[1].Value;
        Assert.StartsWith(_broker.Uri("ps/data/"), data, StringComparison.Ordinal);
        Assert.Matches(TopicLine(), created.Text);
        Assert.Equal(0, listed.ExitCode);
        var lines = listed.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(["NAME", "DATA", "CONTENT-FORMAT", "TYPE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.StartsWith("kitchen/temp", StringComparison.Ordinal) && l.Contains(data, StringComparison.Ordinal)
            && l.Contains("60 (application/cbor)", StringComparison.Ordinal) && l.EndsWith("temperature", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("door", StringComparison.Ordinal) && l.EndsWith('-'));
    }

    [Fact]
    public async Task Ps_show_prints_the_configuration_by_key_name()
    {
        var topic = await CreateAsync("t", "--content-format", "0", "--type", "status");

        var shown = await CliRun.RunAsync("ps", "show", topic.Topic);

        Assert.Equal(0, shown.ExitCode);
        Assert.Matches(@"(?m)^topic-name\s+t$", shown.Text);
        Assert.Matches($@"(?m)^topic-data\s+{Regex.Escape(topic.Data)}$", shown.Text);
        Assert.Matches(@"(?m)^resource-type\s+core\.ps\.data$", shown.Text);
        Assert.Matches(@"(?m)^topic-content-format\s+0 \(text/plain", shown.Text);
        Assert.Matches(@"(?m)^topic-type\s+status$", shown.Text);
        Assert.Matches(@"(?m)^observer-check\s+86400 s$", shown.Text);
    }

    [Fact]
    public async Task Ps_rm_deletes_the_topic()
    {
        var topic = await CreateAsync("t");

        var removed = await CliRun.RunAsync("ps", "rm", topic.Topic);
        var shown = await CliRun.RunAsync("ps", "show", topic.Topic);

        Assert.Equal(0, removed.ExitCode);
        Assert.Equal(4, shown.ExitCode);
        Assert.Contains("4.04", shown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ps_create_of_an_existing_name_fails_with_the_brokers_diagnostic()
    {
        await CreateAsync("same");

        var again = await CliRun.RunAsync("ps", "create", _broker.Uri("ps"), "same");

        Assert.Equal(4, again.ExitCode);
        Assert.Contains("4.00", again.Error, StringComparison.Ordinal);
        Assert.Contains("same", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pub_publishes_a_payload_or_a_file_with_its_content_format()
    {
        var topic = await CreateAsync("t", "--content-format", "60");
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, [0x82, 0x01, 0x02]);
            await using var client = new CoapClient();

            var fromFile = await CliRun.RunAsync("pub", topic.Data, "--file", file, "--content-format", "cbor");
            var afterFile = await client.GetAsync(topic.Data);
            var wrong = await CliRun.RunAsync("pub", topic.Data, "--payload", "21.5", "--content-format", "text/plain");

            Assert.Equal(0, fromFile.ExitCode);
            Assert.Empty(fromFile.Text);
            Assert.Equal(new byte[] { 0x82, 0x01, 0x02 }, afterFile.Payload.ToArray());
            Assert.Equal(4, wrong.ExitCode);
            Assert.Contains("4.15", wrong.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Pub_without_a_value_is_a_usage_error()
    {
        var result = await CliRun.RunAsync("pub", _broker.Uri("ps/data/x"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--payload", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sub_prints_the_current_cbor_value_in_diagnostic_notation()
    {
        var topic = await CreateAsync("t", "--content-format", "60");
        await PublishCborAsync(topic.Data, 21.5, "kitchen");

        var result = await CliRun.RunAsync("sub", topic.Data, "--count", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"v\": 21.5, \"n\": \"kitchen\"}\n", result.Text);
    }

    [Fact]
    public async Task Sub_prints_each_publication_as_it_arrives()
    {
        // The topic starts with a value (initialize), so no notification of an earlier publication can follow the
        // registration's answer, and the first printed line proves the subscription is registered.
        var data = await CreateInitializedAsync("t", "first");
        var output = new WatchedOutput();

        var subscription = CliRun.RunWatchedAsync(output, "sub", data, "--count", "3");
        await output.WhenLinesAsync(1, Timeout);
        await CliRun.RunAsync("pub", data, "--payload", "second", "--content-format", "0");
        await output.WhenLinesAsync(2, Timeout);
        await CliRun.RunAsync("pub", data, "--payload", "third", "--content-format", "0");
        var result = await subscription.WaitAsync(Timeout);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("first\nsecond\nthird\n", result.Text);
    }

    [Fact]
    public async Task Sub_ends_with_exit_4_when_the_topic_is_deleted()
    {
        var data = await CreateInitializedAsync("t", "v");
        var output = new WatchedOutput();

        var subscription = CliRun.RunWatchedAsync(output, "sub", data);
        await output.WhenLinesAsync(1, Timeout);
        var deleted = await CliRun.RunAsync("delete", data);
        var result = await subscription.WaitAsync(Timeout);

        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("4.04", result.Error, StringComparison.Ordinal);
        Assert.Equal("v\n", result.Text);
    }

    /// <summary>Creates a text topic whose first value is set by initialize (key 8); returns its topic-data URI.</summary>
    private async Task<string> CreateInitializedAsync(string name, string value)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(4);
        writer.WriteInt32(0);
        writer.WriteTextString(name);
        writer.WriteInt32(2);
        writer.WriteTextString("core.ps.data");
        writer.WriteInt32(3);
        writer.WriteInt32(ContentFormat.TextPlain);
        writer.WriteInt32(8);
        writer.WriteByteString(System.Text.Encoding.UTF8.GetBytes(value));
        writer.WriteEndMap();
        await using var client = new CoapClient();
        var created = await client.PostAsync(_broker.Uri("ps"), writer.Encode(), 606);
        Assert.Equal(CoapCode.Created, created.Code);
        var reader = new CborReader(created.Payload);
        reader.ReadStartMap();
        while (reader.ReadInt32() != 1)
        {
            reader.SkipValue();
        }

        return _broker.Uri(reader.ReadTextString());
    }

    private static async Task PublishCborAsync(string uri, double value, string name)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteTextString("v");
        writer.WriteDouble(value);
        writer.WriteTextString("n");
        writer.WriteTextString(name);
        writer.WriteEndMap();
        await using var client = new CoapClient();
        Assert.Equal(CoapCode.Created, (await client.PutAsync(uri, writer.Encode(), ContentFormat.Cbor)).Code);
    }

    private async Task<(string Topic, string Data)> CreateAsync(string name, params string[] options)
    {
        var result = await CliRun.RunAsync(["ps", "create", _broker.Uri("ps"), name, .. options]);
        Assert.Equal(0, result.ExitCode);
        return (TopicLine().Match(result.Text).Groups[1].Value, DataLine().Match(result.Text).Groups[1].Value);
    }

    [GeneratedRegex(@"(?m)^topic (\S+)$")]
    private static partial Regex TopicLine();

    [GeneratedRegex(@"(?m)^data  (\S+)$")]
    private static partial Regex DataLine();
}
