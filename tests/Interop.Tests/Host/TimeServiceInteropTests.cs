using System.Globalization;
using Coap.Engine.Server;
using CoapHost;
using Interop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Interop.Tests.Host;

/// <summary>The time service in the real host, read by libcoap's client and decoded by Python's cbor2.</summary>
public sealed class TimeServiceInteropTests : IAsyncLifetime
{
    private IHost? _host;
    private string _uri = string.Empty;

    public async Task InitializeAsync()
    {
        _host = CoapHostApplication.Build(["--Coap:Address=127.0.0.1", "--Coap:Port=0"]);
        await _host.StartAsync();
        _uri = $"coap://127.0.0.1:{_host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port}/time";
    }

    public async Task DisposeAsync()
    {
        await _host!.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Libcoap_client_observes_a_tick_each_second()
    {
        var result = await LibcoapClient.RunAsync("-m", "get", "-A", "0", "-s", "4", _uri);

        Assert.Equal(0, result.ExitCode);
        // coap-client prints each notification's payload as it comes, without a separator: ten digits each.
        var seconds = System.Text.RegularExpressions.Regex.Matches(result.StandardOutput, @"\d{10}").Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(seconds.Count >= 3, $"only {seconds.Count} answers: {result.StandardOutput}");
        Assert.Equal(seconds.Order().ToList(), seconds);
        Assert.True(seconds[^1] - seconds[0] >= 2, string.Join(",", seconds));
    }

    [Fact]
    public async Task Coap_time_measures_an_offset_within_half_the_round_trip_on_loopback()
    {
        var result = await Tool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "coap.dll"), "time", _uri.Replace("/time", string.Empty, StringComparison.Ordinal), "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        // One clock on both ends: the server read it between the send and the receive, so the offset is at most half
        // the round trip (NTP's bound; the extended form carries nanoseconds), however slow the machine is.
        var halfRoundTrip = json.RootElement.GetProperty("roundTripSeconds").GetDouble() / 2;
        Assert.InRange(json.RootElement.GetProperty("offsetSeconds").GetDouble(), -halfRoundTrip - 0.001, halfRoundTrip + 0.001);
        Assert.Equal(8, json.RootElement.GetProperty("samples").GetInt32());
    }

    [Fact]
    public async Task Text_plain_is_unix_seconds_of_the_request()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = await LibcoapClient.RunAsync("-m", "get", "-A", "0", _uri);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.Equal(0, result.ExitCode);
        var seconds = long.Parse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(seconds, before, after);
    }

    [Fact]
    public async Task Cbor_answer_decodes_with_python_cbor2_to_a_tag_1_time_of_the_request()
    {
        var file = Path.GetTempFileName();
        try
        {
            var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var fetched = await LibcoapClient.RunAsync("-m", "get", "-A", "60", "-o", file, _uri);
            var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            var decoded = await Tool.RunAsync("/usr/bin/python3", ["-c",
                "import cbor2,sys; v=cbor2.loads(open(sys.argv[1],'rb').read()); print(type(v).__name__, v.timestamp())", file]);

            Assert.Equal(0, fetched.ExitCode);
            Assert.Equal(0, decoded.ExitCode);
            var parts = decoded.StandardOutput.Trim().Split(' ');
            Assert.Equal("datetime", parts[0]);
            var seconds = double.Parse(parts[1], CultureInfo.InvariantCulture);
            Assert.InRange(seconds, before, after);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
