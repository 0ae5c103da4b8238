using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Testing.Files;

/// <summary>
/// A file server that lies, on a real UDP server on loopback at "files/{**path}": its top directory answers with the
/// crafted listing a test gives (link-format, or the CBOR one when asked with Accept: 60), every other directory with
/// an empty listing, and every file with <see cref="FileBody"/>. It never writes anything; it records what was asked.
/// </summary>
public sealed class HostileFileServer : IAsyncDisposable
{
    /// <summary>What every file holds.</summary>
    public static readonly byte[] FileBody = Encoding.UTF8.GetBytes("hostile");

    private static readonly byte[] ETag = [0x0B, 0xAD];
    private readonly CoapEndpoint _endpoint;
    private readonly string _links;
    private readonly byte[] _cbor;

    public HostileFileServer(string links, byte[] cbor)
    {
        _links = links;
        _cbor = cbor;
        var tree = new ResourceTree();
        tree.Map("files/{**path}", new TestResource(context => ValueTask.FromResult(Answer(context))));
        _endpoint = TestEndpoints.StartUdpServer(tree);
    }

    /// <summary>Every path asked for, its segments joined by '/' as they arrived (decoded).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The URI of the top directory.</summary>
    public string Uri => $"coap://127.0.0.1:{_endpoint.LocalEndPoints[0].Port.ToString(CultureInfo.InvariantCulture)}/files/";

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();

    private CoapMessage Answer(CoapRequestContext context)
    {
        context.Route.TryGetSegments("path", out var segments);
        Requests.Enqueue(string.Join('/', segments));
        if (context.Request.Code != CoapCode.Get)
        {
            return CoapMessage.CreateResponse(CoapCode.MethodNotAllowed);
        }

        var isDirectory = segments.Count == 0 || segments[^1].Length == 0;
        var isTop = segments.Count <= 1 && isDirectory;
        var response = (isDirectory, context.Request.Accept == ContentFormat.Cbor) switch
        {
            (false, _) => CoapMessage.CreateResponse(CoapCode.Content, FileBody, ContentFormat.OctetStream),
            (true, true) => CoapMessage.CreateResponse(CoapCode.Content, isTop ? _cbor : [0x80], ContentFormat.Cbor),
            (true, false) => CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(isTop ? _links : string.Empty), ContentFormat.LinkFormat),
        };
        response.Options.Add(OptionNumber.ETag, ETag);
        return response;
    }
}
