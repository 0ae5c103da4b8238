using System.Net;
using System.Net.Sockets;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Client;

/// <summary>
/// A CoAP client over its own UDP endpoint (an ephemeral port, dual stack). Requests are CON unless the options
/// or the request say NON; responses come back as messages, whatever their code.
/// </summary>
public sealed class CoapClient : IAsyncDisposable
{
    private readonly CoapEndpoint _endpoint;
    private readonly TimeProvider _time;

    public CoapClient(CoapClientOptions? options = null, ILogger? logger = null)
        : this(options ?? new CoapClientOptions(), TimeProvider.System, logger, BindDefault())
    {
    }

    internal CoapClient(CoapClientOptions options, TimeProvider time, ILogger? logger, IDatagramTransport transport)
    {
        Options = options;
        _time = time;
        _endpoint = new CoapEndpoint(options, null, time, new Random(), logger);
        _endpoint.Attach(transport);
    }

    public CoapClientOptions Options { get; }

    /// <summary>The client's own address and port.</summary>
    public IPEndPoint LocalEndPoint => _endpoint.LocalEndPoints[0];

    /// <summary>Sends a prepared request to an address; the request's type is kept as given.</summary>
    public async Task<CoapMessage> SendAsync(CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(Options.EffectiveTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return await _endpoint.SendRequestAsync(request, remote, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CoapTimeoutException($"No response from {remote} within {Options.EffectiveTimeout.TotalSeconds:0.###} s.");
        }
    }

    /// <summary>Sends a request to a coap:// URI: its path and query become options, its host is resolved.</summary>
    public async Task<CoapMessage> SendAsync(CoapMessage request, CoapUri uri, CancellationToken cancellationToken = default)
    {
        uri.ApplyTo(request);
        var remote = await ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
        return await SendAsync(request, remote, cancellationToken).ConfigureAwait(false);
    }

    public Task<CoapMessage> GetAsync(string uri, CancellationToken cancellationToken = default) =>
        SendAsync(NewRequest(CoapCode.Get, default, null), Parse(uri), cancellationToken);

    public Task<CoapMessage> DeleteAsync(string uri, CancellationToken cancellationToken = default) =>
        SendAsync(NewRequest(CoapCode.Delete, default, null), Parse(uri), cancellationToken);

    public Task<CoapMessage> PutAsync(string uri, ReadOnlyMemory<byte> payload, int? contentFormat = null, CancellationToken cancellationToken = default) =>
        SendAsync(NewRequest(CoapCode.Put, payload, contentFormat), Parse(uri), cancellationToken);

    public Task<CoapMessage> PostAsync(string uri, ReadOnlyMemory<byte> payload, int? contentFormat = null, CancellationToken cancellationToken = default) =>
        SendAsync(NewRequest(CoapCode.Post, payload, contentFormat), Parse(uri), cancellationToken);

    public Task<CoapMessage> FetchAsync(string uri, ReadOnlyMemory<byte> payload, int? contentFormat = null, CancellationToken cancellationToken = default) =>
        SendAsync(NewRequest(CoapCode.Fetch, payload, contentFormat), Parse(uri), cancellationToken);

    /// <summary>A request of the client's default type, ready for options to be added.</summary>
    public CoapMessage NewRequest(CoapCode method, ReadOnlyMemory<byte> payload, int? contentFormat)
    {
        var request = new CoapMessage
        {
            Type = Options.NonConfirmable ? CoapMessageType.NonConfirmable : CoapMessageType.Confirmable,
            Code = method,
            Payload = payload,
        };
        if (contentFormat is { } format)
        {
            request.ContentFormat = format;
        }

        return request;
    }

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();

    /// <summary>The address for a URI's host: an IP literal as is, a name through DNS.</summary>
    public static async Task<IPEndPoint> ResolveAsync(CoapUri uri, CancellationToken cancellationToken = default)
    {
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal))
        {
            return new IPEndPoint(literal, uri.Port);
        }

        var addresses = await Dns.GetHostAddressesAsync(uri.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new CoapException($"The host name '{uri.Host}' has no address.");
        }

        return new IPEndPoint(addresses[0], uri.Port);
    }

    private static CoapUri Parse(string text) =>
        CoapUri.TryParse(text, out var uri, out var error) ? uri! : throw new ArgumentException(error, nameof(text));

    private static UdpTransport BindDefault()
    {
        try
        {
            return UdpTransport.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        }
        catch (SocketException)
        {
            return UdpTransport.Bind(new IPEndPoint(IPAddress.Any, 0));
        }
    }
}
