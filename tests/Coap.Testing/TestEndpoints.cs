using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Oscore;
using Coap.Engine.Server;
using Coap.Engine.Server.Access;
using Coap.Engine.Transport;
using Microsoft.Extensions.Logging;

namespace Coap.Testing;

/// <summary>Builds engines on in-memory transports with a fake clock and a seeded random source.</summary>
public static class TestEndpoints
{
    public static readonly IPEndPoint ServerAddress = new(IPAddress.Loopback, 5683);

    /// <summary>
    /// A server endpoint over a lockstep transport; with <paramref name="access"/>, requests pass that access policy
    /// first; with <paramref name="oscore"/>, requests carrying the OSCORE option are unprotected with those contexts.
    /// </summary>
    public static (CoapEndpoint Endpoint, InMemoryTransport Transport) StartServer(
        ResourceTree tree, TimeProvider time, CoapEndpointOptions? options = null, InMemoryNetwork? network = null, ILoggerFactory? loggers = null, AccessPolicy? access = null,
        OscoreContextTable? oscore = null)
    {
        options ??= new CoapEndpointOptions();
        var endpoint = new CoapEndpoint(options, sender => new CoapServerPipeline(tree, null, options, time, sender, loggers, access, oscore), time, new Random(7), loggers);
        var transport = new InMemoryTransport(ServerAddress, network);
        endpoint.Attach(transport);
        return (endpoint, transport);
    }

    /// <summary>
    /// A real UDP server on 127.0.0.1 (or <paramref name="bind"/>, such as :: for a dual-stack socket) and a free
    /// port, for tests of programs that speak UDP; its clock (retransmission, observer check, lifetimes) is
    /// <paramref name="time"/>, the system clock by default; with <paramref name="oscore"/>, OSCORE requests are
    /// unprotected with those contexts.
    /// </summary>
    public static CoapEndpoint StartUdpServer(ResourceTree tree, CoapEndpointOptions? options = null, TimeProvider? time = null, IPAddress? bind = null, OscoreContextTable? oscore = null)
    {
        options ??= new CoapEndpointOptions();
        time ??= TimeProvider.System;
        var endpoint = new CoapEndpoint(options, sender => new CoapServerPipeline(tree, null, options, time, sender, oscore: oscore), time, new Random(), null);
        endpoint.Attach(UdpTransport.Bind(new IPEndPoint(bind ?? IPAddress.Loopback, 0)));
        return endpoint;
    }

    /// <summary>A server endpoint on the system clock over <paramref name="transport"/> (such as a DTLS one).</summary>
    public static CoapEndpoint StartServer(ResourceTree tree, IDatagramTransport transport, CoapEndpointOptions? options = null)
    {
        options ??= new CoapEndpointOptions();
        var endpoint = new CoapEndpoint(options, sender => new CoapServerPipeline(tree, null, options, TimeProvider.System, sender), TimeProvider.System, new Random(), null);
        endpoint.Attach(transport);
        return endpoint;
    }

    /// <summary>A client endpoint with its own in-memory transport.</summary>
    public static (CoapEndpoint Endpoint, InMemoryTransport Transport) StartClientEndpoint(
        TimeProvider time, CoapEndpointOptions? options = null, InMemoryNetwork? network = null, int port = 50000)
    {
        var endpoint = new CoapEndpoint(options ?? new CoapEndpointOptions(), null, time, new Random(11), null);
        var transport = new InMemoryTransport(new IPEndPoint(IPAddress.Loopback, port), network);
        endpoint.Attach(transport);
        return (endpoint, transport);
    }

    /// <summary>A <see cref="CoapClient"/> on an in-memory network.</summary>
    public static CoapClient CreateClient(TimeProvider time, InMemoryNetwork network, CoapClientOptions? options = null, int port = 50001) =>
        new(options ?? new CoapClientOptions(), time, null, new InMemoryTransport(new IPEndPoint(IPAddress.Loopback, port), network));
}
