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
/// <see cref="Directories"/> (an empty listing by default), and every file with <see cref="Content"/>; each answer
/// carries the ETag <see cref="ETags"/> gives for the block asked for, and the engine cuts it into blocks. At
/// "raw/{**path}" <see cref="Raw"/> answers alone, blocks included. It never writes anything; it records what was asked.
/// </summary>
public sealed class HostileFileServer : IAsyncDisposable
{
    /// <summary>What every file holds unless <see cref="Content"/> says otherwise.</summary>
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
        tree.Map("raw/{**path}", new TestResource(context => ValueTask.FromResult(AnswerRaw(context))), new ResourceMetadata { ServesBlocks = true });
        _endpoint = TestEndpoints.StartUdpServer(tree);
    }

    /// <summary>
    /// The link-format listing of each directory below the top, by its path below "files/" with the trailing slash
    /// ("d/", "d/e/"); null answers that directory's GET with <see cref="Content"/>, as if it were a file.
    /// </summary>
    public Func<string, string?> Directories { get; init; } = _ => string.Empty;

    /// <summary>What every file holds.</summary>
    public byte[] Content { get; init; } = FileBody;

    /// <summary>The ETag of an answer to a request for the given Block2 number (0 without Block2); one for all by default.</summary>
    public Func<int, byte[]> ETags { get; init; } = _ => ETag;

    /// <summary>The whole answer to any request below "raw/", Block2 and all (the engine cuts nothing there).</summary>
    public Func<CoapRequestContext, CoapMessage> Raw { get; init; } = _ => CoapMessage.CreateResponse(CoapCode.NotFound);

    /// <summary>Every path asked for, its segments joined by '/' as they arrived (decoded).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The URI of the top directory.</summary>
    public string Uri => $"{Base}/files/";

    /// <summary>"coap://127.0.0.1:{port}".</summary>
    public string Base => $"coap://127.0.0.1:{_endpoint.LocalEndPoints[0].Port.ToString(CultureInfo.InvariantCulture)}";

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();

    private CoapMessage Answer(CoapRequestContext context)
    {
        context.Route.TryGetSegments("path", out var segments);
        var path = string.Join('/', segments);
        Requests.Enqueue(path);
        if (context.Request.Code != CoapCode.Get)
        {
            return CoapMessage.CreateResponse(CoapCode.MethodNotAllowed);
        }

        var isDirectory = segments.Count == 0 || segments[^1].Length == 0;
        var isTop = segments.Count <= 1 && isDirectory;
        var listing = !isDirectory ? null : isTop ? _links : Directories(path);
        var response = (listing, context.Request.Accept == ContentFormat.Cbor) switch
        {
            (null, _) => CoapMessage.CreateResponse(CoapCode.Content, Content, ContentFormat.OctetStream),
            (_, true) => CoapMessage.CreateResponse(CoapCode.Content, isTop ? _cbor : [0x80], ContentFormat.Cbor),
            _ => CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(listing), ContentFormat.LinkFormat),
        };
        var block = context.Request.Options.TryGet(OptionNumber.Block2, out var option) && BlockValue.TryDecode(option.Value.Span, out var asked) ? asked.Number : 0;
        response.Options.Add(OptionNumber.ETag, ETags(block));
        return response;
    }

    private CoapMessage AnswerRaw(CoapRequestContext context)
    {
        context.Route.TryGetSegments("path", out var segments);
        Requests.Enqueue("raw/" + string.Join('/', segments));
        return Raw(context);
    }
}
