using Coap.Cli.Commands;
using System.Net;
using System.Runtime.InteropServices;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Term;

/// <summary>
/// The client side of one terminal session: starts or attaches to it, sends keystrokes as "offset, bytes" pairs (so a
/// re-sent request is typed once), follows the output by observing it and fills every gap with FETCH, resizes the
/// window, and hangs up.
/// </summary>
internal sealed partial class RemoteSession
{
    /// <summary>The most input one POST carries: the pair still fits one datagram of 1152 bytes.</summary>
    private const int InputChunk = 1024;

    /// <summary>The first wait after a full input queue (5.03); it doubles while the queue stays full, up to the server's Max-Age.</summary>
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(10);

    private readonly CoapClient _client;
    private readonly IPEndPoint _remote;
    private readonly CoapUri? _proxy;
    private readonly CoapUri _session;
    private readonly CoapUri _input;
    private readonly CoapUri _output;
    private readonly CoapUri _size;
    private readonly Lock _gate = new();
    private readonly List<byte> _pending = [];
    private readonly SemaphoreSlim _typed = new(0);
    private TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _inputOffset;

    private RemoteSession(CoapClient client, IPEndPoint remote, CoapUri? proxy, CoapUri session)
    {
        _client = client;
        _remote = remote;
        _proxy = proxy;
        _session = session;
        _input = Part("in");
        _output = Part("out");
        _size = Part("size");
        _sent.SetResult();
    }

    /// <summary>The session, "coap://host:port/term/{id}/".</summary>
    public CoapUri Uri => _session;

    /// <summary>
    /// Starts a session by POSTing to the service's collection; with <paramref name="proxy"/> every request of the
    /// session goes through that forward proxy, its target in Proxy-Uri.
    /// </summary>
    public static async Task<RemoteSession> StartAsync(CoapClient client, CoapUri collection, CoapUri? proxy, CancellationToken cancellationToken)
    {
        var remote = await client.ConnectAsync(proxy ?? collection, cancellationToken).ConfigureAwait(false);
        var request = client.NewRequest(CoapCode.Post, default, null);
        collection.ApplyTo(request);
        ProxyRoute.Apply(request, collection, proxy);
        var response = await client.SendAsync(request, remote, cancellationToken).ConfigureAwait(false);
        if (response.Code != CoapCode.Created)
        {
            throw new RemoteSessionException(response);
        }

        var session = CoapUri.Parse(Authority(collection) + response.GetLocationPath());
        return new RemoteSession(client, remote, proxy, session);
    }

    /// <summary>Attaches to a running session: learns how much input it has had, so that new keystrokes follow it.</summary>
    public static async Task<RemoteSession> AttachAsync(CoapClient client, CoapUri session, CoapUri? proxy, CancellationToken cancellationToken)
    {
        var remote = await client.ConnectAsync(proxy ?? session, cancellationToken).ConfigureAwait(false);
        var attached = new RemoteSession(client, remote, proxy, session);
        var response = await attached.SendAsync(CoapCode.Post, attached._input, OutputChunk.InputPair(0, []), ContentFormat.Cbor, cancellationToken).ConfigureAwait(false);
        if (response.Code != CoapCode.Changed || OutputChunk.ReadOffset(response.Payload) is not { } next)
        {
            throw new RemoteSessionException(response);
        }

        attached._inputOffset = next;
        return attached;
    }

    /// <summary>Queues keystrokes for <see cref="SendInputAsync"/>.</summary>
    public void Type(ReadOnlySpan<byte> keys)
    {
        lock (_gate)
        {
            _pending.AddRange(keys);
            if (_sent.Task.IsCompleted)
            {
                _sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        _typed.Release();
    }

    /// <summary>Completes once everything typed so far has been taken by the session, so a reader of a long input waits for it.</summary>
    public Task InputSentAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _sent.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Sends queued keystrokes in order until cancelled. The server may take a chunk in part; a full queue on the server
    /// (5.03) is retried soon, then less and less often, never waiting longer than the Max-Age it gave.
    /// </summary>
    public async Task SendInputAsync(CancellationToken cancellationToken)
    {
        var retry = TimeSpan.Zero;
        while (true)
        {
            await _typed.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                byte[] chunk;
                long offset;
                lock (_gate)
                {
                    chunk = CollectionsMarshal.AsSpan(_pending)[..Math.Min(_pending.Count, InputChunk)].ToArray();
                    offset = _inputOffset;
                }

                if (chunk.Length == 0)
                {
                    break;
                }

                var response = await SendAsync(CoapCode.Post, _input, OutputChunk.InputPair(offset, chunk), ContentFormat.Cbor, cancellationToken).ConfigureAwait(false);
                if (response.Code == CoapCode.ServiceUnavailable)
                {
                    var limit = TimeSpan.FromSeconds(response.MaxAge ?? 1);
                    retry = retry == TimeSpan.Zero ? FirstRetry : retry * 2;
                    retry = retry < limit ? retry : limit;
                    await Task.Delay(retry, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                retry = TimeSpan.Zero;

                if (response.Code != CoapCode.Changed || OutputChunk.ReadOffset(response.Payload) is not { } next || next < offset || next > offset + chunk.Length)
                {
                    throw new RemoteSessionException(response);
                }

                lock (_gate)
                {
                    _pending.RemoveRange(0, (int)(next - offset));
                    _inputOffset = next;
                    if (_pending.Count == 0)
                    {
                        _sent.TrySetResult();
                    }
                }
            }
        }
    }

    /// <summary>Tells the program the window's size.</summary>
    public async Task ResizeAsync(ushort rows, ushort columns, CancellationToken cancellationToken)
    {
        var response = await SendAsync(CoapCode.Put, _size, OutputChunk.Size(rows, columns), ContentFormat.Cbor, cancellationToken).ConfigureAwait(false);
        if (response.Code != CoapCode.Changed)
        {
            throw new RemoteSessionException(response);
        }
    }

    /// <summary>Hangs the session up (DELETE).</summary>
    public async Task HangUpAsync(CancellationToken cancellationToken)
    {
        var request = _client.NewRequest(CoapCode.Delete, default, null);
        Address(request, _session);
        await _client.SendAsync(request, _remote, cancellationToken).ConfigureAwait(false);
    }

    private Task<CoapMessage> SendAsync(CoapCode method, CoapUri target, byte[] payload, int? contentFormat, CancellationToken cancellationToken)
    {
        var request = _client.NewRequest(method, payload, contentFormat);
        Address(request, target);
        return _client.SendAsync(request, _remote, cancellationToken);
    }

    /// <summary>Puts a URI of the session on a request: its path and query, or Proxy-Uri with a proxy.</summary>
    private void Address(CoapMessage request, CoapUri target)
    {
        target.ApplyTo(request);
        ProxyRoute.Apply(request, target, _proxy);
    }

    private CoapUri Part(string part) => CoapUri.Parse(_session.ToString().TrimEnd('/') + "/" + part);

    /// <summary>"coap://host:port" of a URI, IPv6 literals in brackets.</summary>
    private static string Authority(CoapUri uri)
    {
        var host = uri.HostAddress is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ? $"[{uri.Host}]" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
