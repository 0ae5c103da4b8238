using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Coap.Engine.Blockwise;
using Coap.Engine.Exchanges;
using Coap.Engine.Observe;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;
using Coap.Engine.Transport.Dtls;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Client;

/// <summary>
/// A CoAP client over its own UDP endpoint (an ephemeral port, dual stack). Requests are CON unless the options
/// or the request say NON; responses come back as messages, whatever their code. With PSK credentials
/// (<see cref="CoapClientOptions.Psk"/>) it also speaks coaps://: a DTLS 1.2 session per server, made on the first
/// request to a coaps:// URI (or <see cref="ConnectAsync"/>), reused by later ones, closed with the client. With an
/// OSCORE context (<see cref="CoapClientOptions.Oscore"/>) every request is protected end to end (RFC 8613) and
/// every response verified; the responses returned are the plain ones.
/// </summary>
public sealed class CoapClient : IAsyncDisposable
{
    private readonly CoapEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly DtlsClientTransport? _dtls;
    private readonly ConcurrentDictionary<IPEndPoint, bool> _plainOnly = new();
    private readonly bool _ownsEndpoint = true;

    public CoapClient(CoapClientOptions? options = null, ILogger? logger = null)
        : this(options ?? new CoapClientOptions(), TimeProvider.System, logger, BindDefault())
    {
    }

    /// <param name="transport">The datagram transport; with PSK credentials in the options, DTLS is layered on it.</param>
    internal CoapClient(CoapClientOptions options, TimeProvider time, ILogger? logger, IDatagramTransport transport)
    {
        Options = options;
        _time = time;
        _endpoint = new CoapEndpoint(options, null, time, new Random(), logger is null ? null : new OneLoggerFactory(logger)) { InlineResponses = options.ContinueOnReceiveThread };
        if (options.Psk is not null || options.Certificate is not null || options.ServerCas is not null)
        {
            transport = _dtls = new DtlsClientTransport(transport, options);
        }

        _endpoint.Attach(transport);
    }

    /// <summary>
    /// A client of a server's endpoint (<c>CoapRequestContext.Endpoint</c>): its requests leave from the server's own
    /// plain UDP sockets, so that their answers arrive with the server's requests and are taken in by the threads
    /// already receiving those (with <see cref="CoapClientOptions.ContinueOnReceiveThread"/>, what follows an awaited
    /// request runs on the thread that took the answer in: a proxy passing answers on needs no thread of its own). Its
    /// requests use its options' transmission parameters (NSTART: that of the first request to each peer), timeout and
    /// block size; plain coap:// only (no DTLS, no OSCORE), to the peers <see cref="CanReach"/> says. It holds no socket
    /// and no thread; disposing it leaves the endpoint be, and it is usable until the endpoint stops.
    /// </summary>
    public CoapClient(CoapEndpoint shared, CoapClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Psk is not null || options.Certificate is not null || options.ServerCas is not null || options.Oscore is not null)
        {
            throw new ArgumentException("A client of the server's endpoint speaks plain coap:// only: no DTLS credentials, no OSCORE context.", nameof(options));
        }

        Options = options;
        _time = shared.Messages.Time;
        _endpoint = shared;
        _ownsEndpoint = false;
    }

    public CoapClientOptions Options { get; }

    /// <summary>The client's own address and port.</summary>
    public IPEndPoint LocalEndPoint => _endpoint.LocalEndPoints[0];

    /// <summary>
    /// Whether the client has a socket that can send to <paramref name="remote"/>: of its address family, and, for a
    /// socket bound to one address (a server's, see <see cref="CoapClient(CoapEndpoint, CoapClientOptions)"/>), loopback for loopback only.
    /// </summary>
    public bool CanReach(IPEndPoint remote) => _endpoint.CanReach(remote);

    /// <summary>
    /// Sends a prepared request to an address; the request's type is kept as given. Block-wise transfers
    /// (RFC 7959) are transparent: a payload larger than <see cref="CoapClientOptions.BlockSize"/> goes out in
    /// Block1 blocks, and a response in Block2 blocks is fetched whole. The response returned then carries the
    /// whole representation and no Block2 or Size2 option. A request that already has a Block1 or Block2 option
    /// is sent as it is, for callers that move blocks themselves. The timeout applies to each exchange. When the first
    /// response of a GET or FETCH is block 0 of several and Q-Block is on (<see cref="CoapEndpointOptions.QBlock"/>),
    /// the rest comes by Q-Block2 (RFC 9177) in NON bursts sized by congestion control; a server that answers that
    /// with 4.02 is served by RFC 7959 instead, now and later. Likewise a PUT or POST payload larger than a block goes by
    /// Q-Block1 (block 0 as a CON probe, the rest in NON bursts, missing blocks sent again) and by Block1 on a 4.02.
    /// Over OSCORE the blocks are inner ones, each protected, unless <see cref="CoapClientOptions.OscoreOuterBlockwise"/>
    /// has the whole request protected and its protected message sent in Outer Block1 blocks.
    /// </summary>
    public Task<CoapMessage> SendAsync(CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken = default) =>
        SendAsync(request, remote, null, cancellationToken);

    /// <summary>As <see cref="SendAsync(CoapMessage, IPEndPoint, CancellationToken)"/>, reporting block-wise progress.</summary>
    public async Task<CoapMessage> SendAsync(CoapMessage request, IPEndPoint remote, IProgress<TransferProgress>? progress, CancellationToken cancellationToken = default)
    {
        if (request.Options.Contains(OptionNumber.Block1) || request.Options.Contains(OptionNumber.Block2))
        {
            return await SendOnceAsync(request, remote, cancellationToken).ConfigureAwait(false);
        }

        CoapMessage first;
        if (request.Payload.Length > Options.BlockSize && !(Options.Oscore is not null && Options.OscoreOuterBlockwise))
        {
            CoapMessage? uploaded = null;
            if (QBlockUpload.Applies(request, Options) && !_plainOnly.ContainsKey(remote))
            {
                uploaded = await QBlockUpload.RunAsync(_endpoint, request, remote, Options, _time, progress, cancellationToken).ConfigureAwait(false);
                if (uploaded is null)
                {
                    RememberPlainOnly(remote);
                }
            }

            first = uploaded ?? await OffReceiveThread(BlockwiseUpload.RunAsync(request, Options.BlockSize, SenderTo(remote), progress, cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            var negotiate = Options.BlockSize < 1024 && (request.Code == CoapCode.Get || request.Code == CoapCode.Fetch);
            if (negotiate)
            {
                // Early negotiation: ask for small blocks from the first response on (RFC 7959 §2.4).
                request.Options.Set(new BlockValue(0, false, BlockValue.ExponentFor(Options.BlockSize)).ToOption(OptionNumber.Block2));
            }

            try
            {
                first = await SendOnceAsync(request, remote, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (negotiate)
                {
                    // The caller's request stays reusable: with a Block2 option it would count as a manual transfer.
                    request.Options.Remove(OptionNumber.Block2);
                }
            }
        }

        if (QBlockDownload.Applies(request, first, Options) && !_plainOnly.ContainsKey(remote))
        {
            var body = new ArrayBufferWriter<byte>();
            var result = await ContinueWithQBlockAsync(request, first, remote, (block, _) =>
            {
                body.Write(block.Span);
                return ValueTask.CompletedTask;
            }, progress, cancellationToken).ConfigureAwait(false);
            if (result is not null)
            {
                if (result.Code.IsSuccess)
                {
                    result.Payload = body.WrittenMemory;
                }

                return result;
            }
        }

        // An answer in one piece (no Block2) is the answer: no sender, no completed task made for it.
        return first.Options.Contains(OptionNumber.Block2)
            ? await OffReceiveThread(BlockwiseDownload.CompleteAsync(request, first, Options.BlockSize, SenderTo(remote), progress, cancellationToken)).ConfigureAwait(false)
            : first;
    }

    /// <summary>
    /// The block-wise transfers' way to send one more request to <paramref name="remote"/>, made only for them: the
    /// transfer goes on with the next block on the thread that received the last one (no thread-pool hop per block,
    /// whose workers spin between lock-step answers), until <see cref="OffReceiveThread"/> hands its end back.
    /// </summary>
    private Func<CoapMessage, CancellationToken, Task<CoapMessage>> SenderTo(IPEndPoint remote) =>
        (message, token) => SendOnceAsync(message, remote, token, inline: true);

    /// <summary>A transfer whose blocks went on on the receive thread: its caller continues on the thread pool.</summary>
    private static async Task<CoapMessage> OffReceiveThread(Task<CoapMessage> transfer)
    {
        try
        {
            return await transfer.ConfigureAwait(false);
        }
        finally
        {
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
    }

    /// <summary>
    /// Fetches the rest of a Block2 transfer by Q-Block2 (RFC 9177), streamed, for callers that ask for block 0
    /// themselves: <paramref name="first"/> is the response to <paramref name="request"/>, a GET or FETCH that asked for
    /// block 0 (and Size2). When Q-Block applies (on, no OSCORE, block 0 of several with Size2, a server not known to
    /// lack it), block 0's payload and then every later block's go to <paramref name="write"/> in order as they arrive,
    /// so no more than the congestion window is held; the result is the last block's response, or the error response
    /// that ended the transfer. Null when Q-Block2 does not apply or the server does not support it (then remembered,
    /// see <see cref="IsKnownWithoutQBlock"/>): nothing was written, and the caller goes on by RFC 7959 from block 1.
    /// </summary>
    public async Task<CoapMessage?> ContinueWithQBlockAsync(
        CoapMessage request,
        CoapMessage first,
        IPEndPoint remote,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(write);
        return await ContinueQBlockAsync(request, first, remote, int.MaxValue, write, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches a range of a Block2 representation by Q-Block2 (RFC 9177 §4.4), for random access: as
    /// <see cref="ContinueWithQBlockAsync"/>, but <paramref name="first"/> answers a request for any block N (with
    /// Size2), and only blocks N+1 up to <paramref name="until"/> (exclusive) are asked for. The blocks' payloads, from
    /// block N's on, go to <paramref name="write"/> in order; the result is the last one's response or the error that
    /// ended the transfer. Null when Q-Block2 does not apply (the range has no block after N, among the rest) or the
    /// server does not support it (then remembered): nothing was written, and the caller goes on block by block.
    /// </summary>
    public async Task<CoapMessage?> ContinueRangeWithQBlockAsync(
        CoapMessage request,
        CoapMessage first,
        IPEndPoint remote,
        int until,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(write);
        if (!BlockRequests.TryGetBlock(first, OptionNumber.Block2, out var block) || until <= block.Number + 1)
        {
            return null;
        }

        return await ContinueQBlockAsync(request, first, remote, until, write, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CoapMessage?> ContinueQBlockAsync(
        CoapMessage request,
        CoapMessage first,
        IPEndPoint remote,
        int until,
        Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write,
        IProgress<TransferProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (!QBlockDownload.Applies(request, first, Options) || _plainOnly.ContainsKey(remote))
        {
            return null;
        }

        var result = await QBlockDownload.ContinueAsync(_endpoint, request, first, remote, Options, _time, write, progress, until, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            RememberPlainOnly(remote);
        }

        return result;
    }

    /// <summary>
    /// Whether the server at <paramref name="remote"/> answered Q-Block2 (RFC 9177) with 4.02 before: then this client
    /// uses RFC 7959 block-wise with it from the start. Remembers at most 256 servers.
    /// </summary>
    public bool IsKnownWithoutQBlock(IPEndPoint remote) => _plainOnly.ContainsKey(remote);

    private void RememberPlainOnly(IPEndPoint remote)
    {
        if (_plainOnly.Count >= 256)
        {
            _plainOnly.Clear();
        }

        _plainOnly[remote] = true;
    }

    /// <summary>Sends a request to a coap:// URI: its path and query become options, its host is resolved.</summary>
    public Task<CoapMessage> SendAsync(CoapMessage request, CoapUri uri, CancellationToken cancellationToken = default) =>
        SendAsync(request, uri, null, cancellationToken);

    /// <summary>As <see cref="SendAsync(CoapMessage, CoapUri, CancellationToken)"/>, reporting block-wise progress.</summary>
    public async Task<CoapMessage> SendAsync(CoapMessage request, CoapUri uri, IProgress<TransferProgress>? progress, CancellationToken cancellationToken = default)
    {
        uri.ApplyTo(request);
        var remote = await ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        return await SendAsync(request, remote, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves a URI's host (see <see cref="ResolveAsync"/>) and, for coaps://, makes sure a DTLS session with it is
    /// up; requests to the address returned then go through that session (a new one is made if it ends). Throws
    /// <see cref="DtlsHandshakeException"/> when the handshake fails or the client has no PSK credentials.
    /// </summary>
    public async Task<IPEndPoint> ConnectAsync(CoapUri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var remote = await ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
        if (uri.IsSecure)
        {
            if (_dtls is null)
            {
                throw new DtlsHandshakeException($"{uri} needs DTLS credentials: a PSK identity and key (CoapClientOptions.Psk) or certificates (CoapClientOptions.Certificate, ServerCas).");
            }

            await _dtls.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        }

        return remote;
    }

    /// <summary>Observes a resource (RFC 7641); see <see cref="ObserveAsync(CoapMessage, IPEndPoint, CancellationToken)"/>.</summary>
    public IAsyncEnumerable<CoapMessage> ObserveAsync(string uri, CancellationToken cancellationToken = default) =>
        ObserveAsync(Parse(uri), cancellationToken);

    /// <summary>Observes a resource (RFC 7641); see <see cref="ObserveAsync(CoapMessage, IPEndPoint, CancellationToken)"/>.</summary>
    public async IAsyncEnumerable<CoapMessage> ObserveAsync(CoapUri uri, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = NewRequest(CoapCode.Get, default, null);
        uri.ApplyTo(request);
        var remote = await ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        await foreach (var notification in ObserveAsync(request, remote, cancellationToken).ConfigureAwait(false))
        {
            yield return notification;
        }
    }

    /// <summary>
    /// Observes a resource (RFC 7641 §3): sends the request (a GET or FETCH) with Observe 0 and yields the first
    /// response and every later notification that is fresh by the §3.4 rule (older ones are dropped). When
    /// Max-Age (plus two seconds) passes without a notification, the client re-registers with the same token
    /// (§3.3.1). A response that is not 2.xx or has no Observe option is yielded last and ends the stream.
    /// Stopping the enumeration (break or cancellation) deregisters with GET Observe 1 (§3.6). A notification
    /// in Block2 blocks is fetched whole (RFC 7959 §2.6).
    /// </summary>
    public IAsyncEnumerable<CoapMessage> ObserveAsync(CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken = default) =>
        new ClientObservation(_endpoint, request, remote, _time, Options, (message, token) => SendOnceAsync(message, remote, token)).ReadAsync(cancellationToken);

    /// <summary>
    /// As <see cref="ObserveAsync(CoapMessage, IPEndPoint, CancellationToken)"/>; <paramref name="renewal"/> lets the
    /// caller ask for a re-registration with the same token at any time (a fresh value as the next notification).
    /// </summary>
    public IAsyncEnumerable<CoapMessage> ObserveAsync(CoapMessage request, IPEndPoint remote, ObservationRenewal? renewal, CancellationToken cancellationToken = default) =>
        new ClientObservation(_endpoint, request, remote, _time, Options, (message, token) => SendOnceAsync(message, remote, token), renewal).ReadAsync(cancellationToken);

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

    public ValueTask DisposeAsync() => _ownsEndpoint ? _endpoint.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>One exchange, or two when the server answers the first with 4.01 and an Echo (RFC 9175 §2.3).</summary>
    private async Task<CoapMessage> SendOnceAsync(CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken, bool inline = false)
    {
        var response = await ExchangeAsync(request, remote, cancellationToken, inline).ConfigureAwait(false);
        return EchoRetry.Repeat(request, response) is { } again
            ? await ExchangeAsync(again, remote, cancellationToken, inline).ConfigureAwait(false)
            : response;
    }

    /// <summary>Plain coap:// goes straight on (no async layer of its own per request); coaps:// through the session.</summary>
    private Task<CoapMessage> ExchangeAsync(CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken, bool inline) =>
        _dtls is { } dtls && dtls.IsSecured(remote) ? ExchangeSecuredAsync(dtls, request, remote, cancellationToken)
        : Options.Oscore is null ? TransmitAsync(request, remote, cancellationToken, inline)
        : ExchangeOnceAsync(request, remote, cancellationToken);

    private async Task<CoapMessage> ExchangeSecuredAsync(DtlsClientTransport dtls, CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken)
    {
        // The session may have ended since the last exchange (close_notify, an alert): this makes a new one.
        await dtls.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ExchangeOnceAsync(request, remote, cancellationToken).ConfigureAwait(false);
        }
        catch (CoapTimeoutException)
        {
            // The server may have lost the session (restarted) and drop what it cannot decrypt: the next request
            // starts afresh with a handshake (RFC 6347 §4.2.8).
            dtls.Abandon(remote);
            throw;
        }
    }

    private Task<CoapMessage> ExchangeOnceAsync(CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken) =>
        Options.Oscore is { } oscore ? ExchangeProtectedAsync(request, remote, oscore, cancellationToken) : TransmitAsync(request, remote, cancellationToken);

    private async Task<CoapMessage> ExchangeProtectedAsync(CoapMessage request, IPEndPoint remote, OscoreSecurityContext oscore, CancellationToken cancellationToken)
    {
        var protectedRequest = OscoreClientProtection.Protect(oscore, request, out var binding);
        var response = Options.OscoreOuterBlockwise && protectedRequest.Payload.Length > Options.BlockSize
            ? await BlockwiseUpload.RunAsync(protectedRequest, Options.BlockSize, (block, cancel) => TransmitAsync(block, remote, cancel), null, cancellationToken).ConfigureAwait(false)
            : await TransmitAsync(protectedRequest, remote, cancellationToken).ConfigureAwait(false);
        response = await OscoreClientProtection.CompleteOuterBlocksAsync(protectedRequest, response, (next, cancel) => TransmitAsync(next, remote, cancel), cancellationToken).ConfigureAwait(false);
        return OscoreClientProtection.Unprotect(oscore, response, binding);
    }

    /// <param name="inline">Whether the awaiter continues on the receive thread even when the client's options do not say so.</param>
    private async Task<CoapMessage> TransmitAsync(CoapMessage request, IPEndPoint remote, CancellationToken cancellationToken, bool inline = false)
    {
        // One source, the timeout's, which the caller's token cancels too (a registration, not a second, linked source).
        using var timeout = new CancellationTokenSource(Options.EffectiveTimeout, _time);
        using var caller = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        try
        {
            return await _endpoint.SendRequestAsync(request, remote, Options.Transmission, inline || Options.ContinueOnReceiveThread, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CoapTimeoutException($"No response from {remote} within {Options.EffectiveTimeout.TotalSeconds:0.###} s.");
        }
    }

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
