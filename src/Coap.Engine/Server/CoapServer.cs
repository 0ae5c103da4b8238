using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Coap.Engine.Exchanges;
using Coap.Engine.Hosting;
using Coap.Engine.LinkFormat;
using Coap.Engine.Oscore;
using Coap.Engine.Server.Access;
using Coap.Engine.Transport;
using Coap.Engine.Transport.Dtls;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coap.Engine.Server;

/// <summary>
/// The CoAP server as a hosted service: maps the modules' resources and /.well-known/core, binds UDP and runs
/// the endpoint until the host stops.
/// </summary>
public sealed class CoapServer : IHostedService, IAsyncDisposable
{
    private readonly CoapServerOptions _options;
    private readonly ResourceTree _tree;
    private readonly IEnumerable<ICoapModule> _modules;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private CoapEndpoint? _endpoint;
    private List<IDatagramTransport>? _bound;
    private OscoreServerContexts? _oscore;

    public CoapServer(
        IOptions<CoapServerOptions> options,
        ResourceTree tree,
        IEnumerable<ICoapModule> modules,
        IServiceProvider services,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        _options = options.Value;
        _tree = tree;
        _modules = modules;
        _services = services;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<CoapServer>();
    }

    /// <summary>The bound addresses (with the actual port when port 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _endpoint?.LocalEndPoints ?? [];

    public ResourceTree Resources => _tree;

    /// <summary>
    /// Binds the sockets ahead of <see cref="StartAsync"/>, so that an address or port that cannot be had (already
    /// taken) is a <see cref="CoapConfigurationException"/> before anything starts; StartAsync binds them itself
    /// otherwise.
    /// </summary>
    public void Bind() => _bound ??= BindTransports();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var listening = string.Empty;
        foreach (var module in _modules)
        {
            module.MapResources(new ResourceMapper(_tree, _services, module.Name));
        }

        var access = _services.GetService(typeof(AccessPolicy)) as AccessPolicy;
        _tree.Map(WellKnownCoreResource.Path, new WellKnownCoreResource(_tree, access), WellKnownCoreResource.Metadata);
        var oscore = _oscore = OscoreServerContexts.Load(_options.Oscore);
        var endpoint = new CoapEndpoint(_options, sender => new CoapServerPipeline(_tree, _services, _options, _time, sender, _loggers, access, oscore?.Table), _time, new Random(), _loggers);
        try
        {
            var transports = _bound ?? BindTransports();
            _bound = null;
            foreach (var transport in transports)
            {
                endpoint.Attach(transport);
            }

            listening = string.Join(", ", transports.ConvertAll(t => t is DtlsServerTransport ? $"coaps://{t.LocalEndPoint}" : t.LocalEndPoint.ToString()));
        }
        catch
        {
            endpoint.DisposeAsync().Forget(_logger, "closing the endpoint after a failed start");
            _oscore?.Dispose();
            _oscore = null;
            throw;
        }

        _endpoint = endpoint;
        ServerLog.Listening(_logger, listening, _tree.Entries.Count);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var transport in _bound ?? [])
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        _bound = null;
        if (_endpoint is { } endpoint)
        {
            _endpoint = null;
            await endpoint.DisposeAsync().ConfigureAwait(false);
        }

        // After the endpoint: no request is protected or unprotected any more when the exact state is saved.
        _oscore?.Dispose();
        _oscore = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    /// <summary>
    /// The plain CoAP sockets (unless <c>Coap:Plain:Enabled</c> is false) and, when <c>Coap:Security:PskFile</c> or
    /// <c>Coap:Security:CertificateFile</c> is set, the DTLS ones, whose keys and certificates are read first.
    /// </summary>
    private List<IDatagramTransport> BindTransports()
    {
        var transports = new List<IDatagramTransport>();
        try
        {
            if (_options.Plain.Enabled)
            {
                BindAll(transports, _options.Port, "Coap:Port", UdpTransport.Bind);
            }

            var security = _options.Security;
            if (DtlsCredentialFiles.Load(security) is { } credentials)
            {
                var logger = _loggers.CreateLogger<DtlsServerTransport>();
                BindAll(transports, security.Port, "Coap:Security:Port", e => DtlsServerTransport.Bind(e, credentials, security, logger));
            }
        }
        catch
        {
            foreach (var transport in transports)
            {
                transport.DisposeAsync().Forget(_logger, "closing a socket after a failed start");
            }

            throw;
        }

        return transports;
    }

    /// <summary>
    /// One socket for a specific address; for a wildcard, one socket per local address on the same port so
    /// that each reply leaves from the address its request arrived on.
    /// </summary>
    private void BindAll(List<IDatagramTransport> transports, int port, string portKey, Func<IPEndPoint, IDatagramTransport> bind)
    {
        var address = IPAddress.Parse(_options.Address);
        if (!address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any))
        {
            try
            {
                transports.Add(bind(new IPEndPoint(address, port)));
            }
            catch (SocketException error)
            {
                throw new CoapConfigurationException($"Coap:Address {_options.Address} and {portKey} {port} cannot be bound: {error.Message}.", error);
            }

            return;
        }

        var bound = 0;
        foreach (var local in LocalAddresses(address.AddressFamily == AddressFamily.InterNetworkV6))
        {
            try
            {
                var transport = bind(new IPEndPoint(local, port));
                port = transport.LocalEndPoint.Port;
                transports.Add(transport);
                bound++;
            }
            catch (SocketException error)
            {
                ServerLog.BindFailed(_logger, local, port, error.Message);
            }
        }

        if (bound == 0)
        {
            throw new CoapConfigurationException($"Coap:Address {_options.Address} and {portKey} {port}: no local address could be bound on that port (see the warnings above).");
        }
    }

    private static IEnumerable<IPAddress> LocalAddresses(bool includeIPv6)
    {
        var addresses = new List<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus == OperationalStatus.Down)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var a = unicast.Address;
                if (a.AddressFamily == AddressFamily.InterNetwork || (includeIPv6 && a.AddressFamily == AddressFamily.InterNetworkV6))
                {
                    addresses.Add(a);
                }
            }
        }

        addresses.Sort(static (a, b) => IPAddress.IsLoopback(b).CompareTo(IPAddress.IsLoopback(a)));
        return addresses;
    }
}
