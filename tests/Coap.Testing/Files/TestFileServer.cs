using System.Globalization;
using Coap.Engine.Exchanges;
using Coap.Engine.Server;

namespace Coap.Testing.Files;

/// <summary>
/// A <see cref="TestFileResource"/> over a fresh temporary directory, mapped at "files/{**path}" on a real UDP
/// server on loopback. Disposing stops the server and deletes the directory.
/// </summary>
public sealed class TestFileServer : IAsyncDisposable
{
    private readonly CoapEndpoint _endpoint;

    public TestFileServer()
    {
        Root = Directory.CreateTempSubdirectory("coap-files-").FullName;
        Resource = new TestFileResource(Root);
        var tree = new ResourceTree();
        tree.Map("files/{**path}", Resource);
        _endpoint = TestEndpoints.StartUdpServer(tree);
    }

    /// <summary>The directory the server serves.</summary>
    public string Root { get; }

    public TestFileResource Resource { get; }

    public int Port => _endpoint.LocalEndPoints[0].Port;

    /// <summary>The URI of a path below /files/, given percent-encoded as it goes into a URI ("" for the root, "a/" for a directory).</summary>
    public string Uri(string path = "") => $"coap://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/files/{path}";

    public async ValueTask DisposeAsync()
    {
        await _endpoint.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(Root, recursive: true);
    }
}
