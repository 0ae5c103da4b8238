using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Bench.Amplification;

/// <summary>
/// The address a spoofed request names as its source: a fresh UDP socket (a new, unverified peer to the host) that
/// sends requests and then only listens. It never acknowledges a CON, never answers 4.01 with its Echo and never
/// resets a notification, as a victim that did not ask for anything would; every byte that reaches it is counted.
/// </summary>
internal sealed class Victim : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<CoapCode> _codes = [];

    public Victim(IPEndPoint server)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Connect(server);
    }

    /// <summary>UDP payload bytes sent (the requests).</summary>
    public long Sent { get; private set; }

    /// <summary>UDP payload bytes received from the host.</summary>
    public long Received { get; private set; }

    public int Datagrams => _codes.Count;

    /// <summary>The codes of what arrived, in order, as "4.01 2.05×3".</summary>
    public string Codes => string.Join(' ', _codes.GroupBy(c => c).Select(g => g.Count() == 1 ? g.Key.ToString() : $"{g.Key.ToString()}×{g.Count()}"));

    public void Send(CoapMessage request)
    {
        var bytes = CoapMessageWriter.ToArray(request);
        _socket.Send(bytes);
        Sent += bytes.Length;
    }

    /// <summary>Counts whatever arrives until <paramref name="window"/> has passed.</summary>
    public async Task ListenAsync(TimeSpan window)
    {
        using var end = new CancellationTokenSource(window);
        var buffer = new byte[65536];
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, end.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Received += length;
            _codes.Add(CoapMessageReader.TryRead(buffer.AsMemory(0, length), out var message) == CoapDecodeError.None ? message!.Code : default);
        }
    }

    public void Dispose() => _socket.Dispose();
}
