using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Coap.Fuzzing;

namespace Coap.Bench.Fuzz;

/// <summary>
/// One client endpoint (one socket, one source port) of the fuzz run, on its own thread: it sends what its
/// <see cref="FuzzClient"/> gives, hands it every datagram the server sends and sends back its ACKs and RSTs. After a
/// CON it waits for the ACK or RST (at most <see cref="AnswerTimeout"/>) before the next datagram, so the server is
/// never flooded and a CON without answer is the server's doing; after anything else it only takes what is there.
/// </summary>
internal sealed class Lane(int seed, IPEndPoint server, long count)
{
    /// <summary>Far longer than any answer takes: a separate response's empty ACK comes after 0.5 s.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    public FuzzClient Client { get; } = new(seed, 1, () => DateTimeOffset.UtcNow);

    public int Seed => seed;

    /// <summary>Datagrams the server sent to this lane.</summary>
    public long Received { get; private set; }

    /// <summary>Why the lane stopped early (the server went away), or null.</summary>
    public string? Failure { get; private set; }

    public void Run()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        socket.Connect(server);
        var buffer = new byte[65536];
        try
        {
            for (var i = 0L; i < count; i++)
            {
                var awaiting = Client.Awaiting;
                socket.Send(Client.Next().Bytes);
                Take(socket, buffer, Client.Awaiting > awaiting ? awaiting : null);
            }

            Take(socket, buffer, 0);
        }
        catch (SocketException error)
        {
            Failure = $"{error.SocketErrorCode} after {Client.Sent} datagrams";
        }

        Client.ReportUnanswered();
    }

    /// <summary>
    /// Takes what the server sent; with <paramref name="until"/>, waits until at most that many CONs are unanswered.
    /// </summary>
    private void Take(Socket socket, byte[] buffer, int? until)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(AnswerTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var waiting = until is { } limit && Client.Awaiting > limit;
            var left = deadline - Stopwatch.GetTimestamp();
            var microseconds = waiting && left > 0 ? (int)(left * 1_000_000 / Stopwatch.Frequency) : 0;
            if (!socket.Poll(microseconds, SelectMode.SelectRead))
            {
                return;
            }

            var length = socket.Receive(buffer);
            Received++;
            if (Client.Receive(0, buffer.AsMemory(0, length).ToArray()) is { } reply)
            {
                socket.Send(reply);
            }
        }
    }
}
