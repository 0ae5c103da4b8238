using Coap.Bench.Server;
using Coap.Engine.Hosting;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// The engine with libcoap's example resources /time (small GET) and /example_data (10 MiB, GET and PUT, for
// block-wise transfers), to compare with libcoap's example server under the same load:
//   dotnet bench/Coap.Bench.Server/bin/Release/net10.0/Coap.Bench.Server.dll PORT
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5683;
var tree = new ResourceTree();
tree.Map("time", new TimeTextResource(), new ResourceMetadata { ContentFormats = [0] });
tree.Map("example_data", new ExampleDataResource());
var options = Options.Create(new CoapServerOptions { Address = "127.0.0.1", Port = port });
await using var server = new CoapServer(options, tree, Array.Empty<ICoapModule>(), EmptyServices.Instance, TimeProvider.System, NullLogger<CoapServer>.Instance);
await server.StartAsync(CancellationToken.None);
Console.WriteLine($"listening on {string.Join(", ", server.LocalEndPoints)}");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
