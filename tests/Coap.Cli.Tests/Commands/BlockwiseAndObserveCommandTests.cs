using System.Globalization;
using Coap.Testing.Programs;

namespace Coap.Cli.Tests.Commands;

/// <summary>Block-wise get/put and observe against libcoap's coap-server-notls (its /example_data and /time).</summary>
public sealed class BlockwiseAndObserveCommandTests
{
    private static byte[] Body(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        return body;
    }

    [Theory]
    [InlineData("1024", 5000)]
    [InlineData("16", 700)]
    public async Task Put_from_a_file_then_get_to_a_file_moves_every_block(string blockSize, int length)
    {
        await using var server = await LibcoapServer.StartAsync();
        var body = Body(length);
        var source = Path.Combine(Path.GetTempPath(), $"coap-cli-{Guid.NewGuid():N}.in");
        var target = Path.Combine(Path.GetTempPath(), $"coap-cli-{Guid.NewGuid():N}.out");
        await File.WriteAllBytesAsync(source, body);
        try
        {
            var put = await CliRun.RunAsync("put", server.Uri("example_data"), "--file", source, "-t", "octet-stream", "--block-size", blockSize);
            var get = await CliRun.RunAsync("get", server.Uri("example_data"), "-o", target, "--block-size", blockSize);

            Assert.Equal((0, string.Empty), (put.ExitCode, put.Error));
            Assert.Equal((0, string.Empty), (get.ExitCode, get.Error));
            Assert.Empty(get.Output);
            Assert.Equal(body, await File.ReadAllBytesAsync(target));
        }
        finally
        {
            File.Delete(source);
            File.Delete(target);
        }
    }

    [Fact]
    public async Task Get_writes_a_multi_block_representation_to_stdout_without_a_progress_bar()
    {
        await using var server = await LibcoapServer.StartAsync();
        var body = Body(3000);
        await CliRun.RunWithInputAsync(body, "put", server.Uri("example_data"), "--file", "-");

        var get = await CliRun.RunAsync("get", server.Uri("example_data"));

        Assert.Equal(0, get.ExitCode);
        Assert.Equal(body, get.Output);
        Assert.Equal(string.Empty, get.Error);
    }

    [Fact]
    public async Task Observe_with_a_count_prints_that_many_notifications_and_exits_0()
    {
        await using var server = await LibcoapServer.StartAsync();

        var result = await CliRun.RunAsync("observe", server.Uri("time"), "--count", "2", "-v");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var numbers = result.Error.Split('\n')
            .Where(line => line.StartsWith("< Observe ", StringComparison.Ordinal))
            .Select(line => int.Parse(line["< Observe ".Length..line.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(2, numbers.Count);
        Assert.True(numbers[1] > numbers[0], result.Error);
    }

    [Fact]
    public async Task Observe_with_a_duration_stops_in_time()
    {
        await using var server = await LibcoapServer.StartAsync();

        var result = await CliRun.RunAsync("observe", server.Uri("time"), "--duration", "2.5");

        Assert.Equal(0, result.ExitCode);
        Assert.InRange(result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, 2, 4);
    }

    [Fact]
    public async Task Observe_of_a_missing_resource_fails_with_exit_4()
    {
        await using var server = await LibcoapServer.StartAsync();

        var result = await CliRun.RunAsync("observe", server.Uri("no/such"), "--count", "2");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("4.04", result.Error, StringComparison.Ordinal);
    }
}
