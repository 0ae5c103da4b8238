using System.Net;
using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Transport.Dtls;
using Coap.Testing;

namespace Interop.Tests.Dtls;

/// <summary>
/// Our engine behind a <see cref="DtlsServerTransport"/> on 127.0.0.1 and a free port, with identity <c>alice</c>
/// (key <c>secret-key</c>) and <c>bob</c> (key 0x0102030405060708), and test resources: <c>whoami</c> answers the
/// PSK identity the request came with, <c>data</c> a 1 MiB body, <c>store</c> keeps what is PUT, <c>counter</c> is
/// observable and <c>gone</c> answers DELETE. Given <see cref="DtlsServerCredentials"/>, it authenticates with those
/// instead (certificates, or PSK and certificates).
/// </summary>
public sealed class DtlsServerHarness : IAsyncDisposable
{
    public const string Identity = "alice";
    public const string Key = "secret-key";

    private readonly CoapEndpoint _endpoint;
    private readonly ITimer _ticker;
    private int _value;

    public DtlsServerHarness(CoapSecurityOptions? options = null, DtlsServerCredentials? credentials = null)
    {
        Body = new byte[1024 * 1024];
        new Random(16).NextBytes(Body);
        WhoAmI = new TestResource(c => ValueTask.FromResult(
            CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes($"you are {c.Identity ?? "anonymous"}"), ContentFormat.TextPlain)));
        Store = new TestResource(c =>
        {
            Stored = c.Request.Payload.ToArray();
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
        });
        Gone = new TestResource(c => ValueTask.FromResult(
            CoapMessage.CreateResponse(c.Request.Code == CoapCode.Delete ? CoapCode.Deleted : CoapCode.MethodNotAllowed)));
        var tree = new ResourceTree();
        tree.Map("whoami", WhoAmI);
        tree.Map("data", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Body, ContentFormat.OctetStream))));
        tree.Map("store", Store);
        tree.Map("gone", Gone);
        Counter = new TestObservableResource(_ => CoapMessage.CreateResponse(
            CoapCode.Content, Encoding.UTF8.GetBytes($"{Volatile.Read(ref _value)}\n"), ContentFormat.TextPlain));
        tree.Map("counter", Counter, TestObservableResource.Metadata);

        var identities = TestKeys;
        Options = options ?? new CoapSecurityOptions { HandshakeTimeout = TimeSpan.FromSeconds(3) };
        Transport = DtlsServerTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0), credentials ?? new DtlsServerCredentials(identities, null, null), Options);
        _endpoint = TestEndpoints.StartServer(tree, Transport);
        _ticker = TimeProvider.System.CreateTimer(_ => Tick(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
    }

    /// <summary><c>alice</c> and <c>bob</c>, as the harness uses them unless given other credentials.</summary>
    public static PskIdentities TestKeys => PskKeyFile.Parse([$"{Identity}={Key}", "bob=0x0102030405060708"], "test keys");

    public CoapSecurityOptions Options { get; }

    public DtlsServerTransport Transport { get; }

    public byte[] Body { get; }

    public byte[]? Stored { get; private set; }

    public TestObservableResource Counter { get; }

    public TestResource WhoAmI { get; }

    public TestResource Store { get; }

    public TestResource Gone { get; }

    public int Port => Transport.LocalEndPoint.Port;

    public string Uri(string path) => $"coaps://127.0.0.1:{Port}/{path}";

    /// <summary>Requests that reached a handler.</summary>
    public int Requests => WhoAmI.Calls + Store.Calls + Gone.Calls + Counter.Calls;

    public async ValueTask DisposeAsync()
    {
        await _ticker.DisposeAsync();
        await _endpoint.DisposeAsync();
    }

    private void Tick()
    {
        Interlocked.Increment(ref _value);
        Counter.Observers.NotifyChanged();
    }
}
