using System.Globalization;
using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Libcoap;

/// <summary>libcoap's coap-client observes a resource of our engine over real UDP (RFC 7641).</summary>
public sealed class LibcoapObserveTests : IAsyncLifetime
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

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ticker.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Coap_client_observing_for_three_seconds_prints_several_increasing_values()
    {
        var port = _server.LocalEndPoints[0].Port;

        // -s 3: observe for three seconds; -B 8 and a 15 s kill bound keep a hung client well under 30 s.
        var result = await Tool.RunAsync(
            Tool.Find("coap-client-notls"), ["-B", "8", "-s", "3", "-m", "get", $"coap://127.0.0.1:{port}/counter"], TimeSpan.FromSeconds(15));

        Assert.Equal(0, result.ExitCode);
        var values = new List<int>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            values.Add(int.Parse(line, CultureInfo.InvariantCulture));
        }

        // A notification carries the state when it is rendered (RFC 7641 §4.2): a tick landing between the increment
        // and its NotifyChanged, or while the previous render waits for a thread, shows the same value twice. The order
        // is what is guaranteed: never an older value after a newer one.
        Assert.True(values.Distinct().Count() >= 5, $"only {values.Distinct().Count()} distinct values: {result.StandardOutput}");
        for (var i = 1; i < values.Count; i++)
        {
            Assert.True(values[i] >= values[i - 1], $"an older value after a newer one: {result.StandardOutput}");
        }

        // coap-client deregisters when its observe time is up (a GET with Observe 1, RFC 7641 §3.6).
        Assert.True(SpinWait.SpinUntil(() => _counter.Observers.Count == 0, TimeSpan.FromSeconds(10)), $"{_counter.Observers.Count} observers left");
    }

    private void Tick()
    {
        Interlocked.Increment(ref _value);
        _counter.Observers.NotifyChanged();
    }
}
