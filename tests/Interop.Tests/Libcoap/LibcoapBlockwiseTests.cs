using System.Security.Cryptography;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Libcoap;

/// <summary>libcoap's coap-client moves large bodies to and from our engine block by block over real UDP (RFC 7959).</summary>
public sealed class LibcoapBlockwiseTests : IAsyncLifetime
{
    private static readonly int[] Sizes = [0, 1, 1023, 1024, 1025, 100_000, 1024 * 1024];
    private readonly Dictionary<int, byte[]> _bodies = [];
    private readonly CoapEndpoint _server;
    private readonly string _file = Path.GetTempFileName();
    private byte[]? _stored;

    public LibcoapBlockwiseTests()
    {
        var tree = new ResourceTree();
        foreach (var size in Sizes)
        {
            var body = new byte[size];
            new Random(size).NextBytes(body);
            _bodies[size] = body;
            tree.Map($"data/{size}", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, body, ContentFormat.OctetStream))));
        }

        tree.Map("store", new TestResource(c =>
        {
            _stored = c.Request.Payload.ToArray();
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
        }));
        _server = TestEndpoints.StartUdpServer(tree);
    }

    private string Uri(string path) => $"coap://127.0.0.1:{_server.LocalEndPoints[0].Port}/{path}";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        File.Delete(_file);
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1, 1024)]
    [InlineData(1023, 1024)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 1024)]
    [InlineData(1024 * 1024, 1024)]
    [InlineData(1023, 64)]
    [InlineData(1025, 64)]
    [InlineData(100_000, 64)]
    [InlineData(1024 * 1024, 64)]
    public async Task Get_of_a_large_resource_is_byte_identical(int size, int blockSize)
    {
        File.Delete(_file);

        var result = await LibcoapClient.RunAsync("-m", "get", "-b", blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", _file, Uri($"data/{size}"));

        Assert.Equal(0, result.ExitCode);
        var received = File.Exists(_file) ? await File.ReadAllBytesAsync(_file) : [];
        Assert.Equal(Convert.ToHexString(SHA256.HashData(_bodies[size])), Convert.ToHexString(SHA256.HashData(received)));
    }

    [Theory]
    [InlineData(0, 1024)]
    [InlineData(1, 1024)]
    [InlineData(1023, 1024)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 1024)]
    [InlineData(1024 * 1024, 1024)]
    [InlineData(1025, 64)]
    [InlineData(100_000, 64)]
    [InlineData(1024 * 1024, 64)]
    public async Task Put_of_a_large_file_arrives_byte_identical(int size, int blockSize)
    {
        await File.WriteAllBytesAsync(_file, _bodies[size]);

        var result = await LibcoapClient.RunAsync("-m", "put", "-b", blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", _file, Uri("store"));

        Assert.Equal(0, result.ExitCode);
        Assert.NotNull(_stored);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(_bodies[size])), Convert.ToHexString(SHA256.HashData(_stored)));
    }
}
