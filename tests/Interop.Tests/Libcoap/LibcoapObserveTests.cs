using System.Globalization;
using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Libcoap;

/// <summary>libcoap's coap-client observes a resource of our engine over real UDP (RFC 7641).</summary>
public sealed class LibcoapObserveTests : IAsyncDisposable
{
    private readonly CoapEndpoint _server;
    private readonly TestObservableResource _counter;
    private readonly ITimer _ticker;
    private int _value;

    public LibcoapObserveTests()
    {
        _counter = new TestObservableResource(_ => CoapMessage.CreateResponse(
            CoapCode.Content,
            Encoding.UTF8.GetBytes(Volatile.Read(ref _value).ToString(CultureInfo.InvariantCulture) + "\n"),
            ContentFormat.TextPlain));
        var tree = new ResourceTree();
        tree.Map("counter", _counter, TestObservableResource.Metadata);
        _server = TestEndpoints.StartUdpServer(tree);
        _ticker = TimeProvider.System.CreateTimer(_ => Tick(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
    }

    public async ValueTask DisposeAsync()
    {
        await _ticker.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Coap_client_observing_for_three_seconds_prints_several_increasing_values()
    {
        var port = _server.LocalEndPoints[0].Port;

        var result = await LibcoapClient.RunAsync("-s", "3", "-m", "get", $"coap://127.0.0.1:{port}/counter");

        Assert.Equal(0, result.ExitCode);
        var values = new List<int>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            values.Add(int.Parse(line, CultureInfo.InvariantCulture));
        }

        Assert.True(values.Count >= 5, $"only {values.Count} values: {result.StandardOutput}");
        for (var i = 1; i < values.Count; i++)
        {
            Assert.True(values[i] > values[i - 1], $"not increasing: {result.StandardOutput}");
        }
    }

    private void Tick()
    {
        Interlocked.Increment(ref _value);
        _counter.Observers.NotifyChanged();
    }
}
