using System.Globalization;
using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Cli.Tests;

/// <summary>A real UDP CoAP server on loopback with the resources the command line tests talk to.</summary>
internal sealed class CliServer : IAsyncDisposable
{
    public static readonly byte[] AllBytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    private readonly CoapEndpoint _endpoint;

    public CliServer()
    {
        var tree = new ResourceTree();
        tree.Map("text", TestResource.Text("hello world"));
        tree.Map("echo", new TestResource(Echo));
        tree.Map("binary", Answer(CoapCode.Content, AllBytes, ContentFormat.OctetStream));
        tree.Map("type", new TestResource(context => Text(context.Request.Type.ToString())));
        tree.Map("accept", new TestResource(context => Text(context.Request.Accept?.ToString(CultureInfo.InvariantCulture) ?? "none")));
        tree.Map("query", new TestResource(context => Text(context.Request.GetUriQuery())));
        tree.Map("broken", Answer(CoapCode.InternalServerError, Encoding.UTF8.GetBytes("disk\non fire"), null));
        tree.Map("bad-links", Answer(CoapCode.Content, Encoding.UTF8.GetBytes("</a>;rt=\"open"), ContentFormat.LinkFormat));
        tree.Map("time", TestObservableResource.Text(() => "12:00"), new ResourceMetadata { ResourceTypes = ["core.time"], ContentFormats = [ContentFormat.TextPlain], Observable = true });
        tree.Map("sensors/temp", TestResource.Text("21.5"), new ResourceMetadata
        {
            ResourceTypes = ["temperature-c"],
            Interfaces = ["sensor"],
            ContentFormats = [ContentFormat.TextPlain, ContentFormat.Cbor],
            Title = "Room temperature",
        });
        tree.WithWellKnownCore();
        _endpoint = TestEndpoints.StartUdpServer(tree);
    }

    public int Port => _endpoint.LocalEndPoints[0].Port;

    public string Uri(string path) => $"coap://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{path}";

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();

    /// <summary>Answers with the request's own payload and Content-Format: 2.05 for FETCH, 2.04 otherwise.</summary>
    private static ValueTask<CoapMessage> Echo(CoapRequestContext context)
    {
        var request = context.Request;
        var code = request.Code == CoapCode.Fetch ? CoapCode.Content : CoapCode.Changed;
        return ValueTask.FromResult(CoapMessage.CreateResponse(code, request.Payload.ToArray(), request.ContentFormat));
    }

    private static TestResource Answer(CoapCode code, byte[] payload, int? contentFormat) =>
        new(_ => ValueTask.FromResult(CoapMessage.CreateResponse(code, payload, contentFormat)));

    private static ValueTask<CoapMessage> Text(string text) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(text), ContentFormat.TextPlain));
}
