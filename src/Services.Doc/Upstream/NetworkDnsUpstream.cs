using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Services.Doc.Upstream;

/// <summary>
/// Real DNS servers: UDP first (RFC 1035 §4.2.1) with a fresh random ID per query, TCP to the same server when the
/// answer comes back truncated (RFC 7766 §5), a timeout per attempt, rounds over the server list, and a bound on
/// queries in flight. The query goes out as the client wrote it apart from the ID, so its EDNS0 OPT and UDP payload
/// size (RFC 6891 §6.2.5) reach the upstream unchanged; answers up to 65535 octets are received.
/// </summary>
internal sealed partial class NetworkDnsUpstream : IDnsUpstream, IDisposable
{
    private const int MaxMessage = ushort.MaxValue;

    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly TimeSpan _timeout;
    private readonly int _attempts;
    private readonly SemaphoreSlim _inFlight;
    private readonly ILogger<NetworkDnsUpstream> _logger;

    public NetworkDnsUpstream(IOptions<DocOptions> options, ILogger<NetworkDnsUpstream> logger)
    {
        var settings = options.Value;
        _servers = UpstreamServers.Resolve(settings.Upstreams);
        _timeout = settings.UpstreamTimeout;
        _attempts = settings.UpstreamAttempts;
        _inFlight = new SemaphoreSlim(settings.MaxInFlight);
        _logger = logger;
    }

    public void Dispose() => _inFlight.Dispose();

    public async ValueTask<byte[]> QueryAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        if (query.Length < 12)
        {
            throw new DnsUpstreamException("the query is shorter than a DNS header");
        }

        if (!await _inFlight.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new DnsUpstreamException("too many upstream queries in flight");
        }

        try
        {
            var clientId = BinaryPrimitives.ReadUInt16BigEndian(query.Span);
            var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
            var outgoing = query.ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(outgoing, id);
            Exception? last = null;
            for (var attempt = 0; attempt < _attempts; attempt++)
            {
                foreach (var server in _servers)
                {
                    try
                    {
                        var response = await UdpAsync(server, outgoing, id, cancellationToken).ConfigureAwait(false);
                        if ((response[2] & 0x02) != 0)
                        {
                            LogTruncated(server);
                            response = await TcpAsync(server, outgoing, id, cancellationToken).ConfigureAwait(false);
                        }

                        BinaryPrimitives.WriteUInt16BigEndian(response, clientId);
                        return response;
                    }
                    catch (Exception exception) when (exception is SocketException or IOException or DnsUpstreamException
                        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                    {
                        LogUpstreamFailed(server, exception.Message);
                        last = exception;
                    }
                }
            }

            throw new DnsUpstreamException("no upstream DNS server answered", last);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task<byte[]> UdpAsync(IPEndPoint server, byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, timeout.Token).ConfigureAwait(false);
        var buffer = new byte[MaxMessage];
        while (true)
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (IsAnswerTo(buffer.AsSpan(0, length), id))
            {
                return buffer[..length];
            }
        }
    }

    private async Task<byte[]> TcpAsync(IPEndPoint server, byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, timeout.Token).ConfigureAwait(false);
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, timeout.Token).ConfigureAwait(false);
        var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(response, timeout.Token).ConfigureAwait(false);
        return IsAnswerTo(response, id) ? response : throw new DnsUpstreamException($"{server} answered over TCP with a message that does not match the query");
    }

    private static bool IsAnswerTo(ReadOnlySpan<byte> response, ushort id) =>
        response.Length >= 12 && BinaryPrimitives.ReadUInt16BigEndian(response) == id && (response[2] & 0x80) != 0;

    [LoggerMessage(EventId = 501, Level = LogLevel.Debug, Message = "DNS upstream {Server} truncated its UDP answer; asking again over TCP")]
    private partial void LogTruncated(IPEndPoint server);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "DNS upstream {Server} failed: {Reason}")]
    private partial void LogUpstreamFailed(IPEndPoint server, string reason);
}
