using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Interop.Tests.Dtls;

/// <summary>
/// ClientHellos that never return their cookie, as a spoofing sender's do, cost the server no state (RFC 6347 §4.2.1):
/// each is answered by a HelloVerifyRequest and forgotten, and a real client still connects.
/// </summary>
public sealed class HandshakeFloodTests : IAsyncLifetime
{
    private const int Sockets = 50;
    private const int HellosPerSocket = 200;

    private readonly DtlsServerHarness _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_client_hellos_without_cookies_leave_no_session_and_a_real_client_connects()
    {
        var target = new IPEndPoint(IPAddress.Loopback, _server.Port);
        var verifyRequests = 0;
        var random = new Random(6347);
        for (var s = 0; s < Sockets; s++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.ReceiveBufferSize = 1024 * 1024;
            for (var i = 0; i < HellosPerSocket; i++)
            {
                socket.SendTo(ClientHello(random), target);
            }

            verifyRequests += await CountVerifyRequestsAsync(socket, HellosPerSocket);
            Assert.Equal(0, _server.Transport.SessionCount);
            Assert.Equal(0, _server.Transport.HandshakeCount);
        }

        // Each ClientHello was answered (loopback may drop a few under the burst), and none left anything behind.
        Assert.InRange(verifyRequests, Sockets * HellosPerSocket * 9 / 10, Sockets * HellosPerSocket);
        Assert.Equal(0, _server.Transport.SessionCount);

        var result = await Tool.RunAsync(
            Tool.Find("coap-client-openssl"),
            ["-u", DtlsServerHarness.Identity, "-k", DtlsServerHarness.Key, "-B", "20", "-m", "get", _server.Uri("whoami")],
            TimeSpan.FromSeconds(40));
        Assert.Contains("you are alice", result.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>HelloVerifyRequests received until <paramref name="expected"/> or a quiet second.</summary>
    private static async Task<int> CountVerifyRequestsAsync(Socket socket, int expected)
    {
        var buffer = new byte[2048];
        var count = 0;
        while (count < expected)
        {
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, quiet.Token);
                if (received > 13 + 12 && buffer[0] == 22 && buffer[13] == 3)
                {
                    count++;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return count;
    }

    /// <summary>A DTLS 1.2 ClientHello record (epoch 0, no cookie) offering TLS_PSK_WITH_AES_128_CCM_8, with a fresh random.</summary>
    private static byte[] ClientHello(Random random)
    {
        byte[] body =
        [
            0xFE, 0xFD, // client_version DTLS 1.2
            .. RandomBytes(random, 32),
            0, // session_id
            0, // cookie
            0, 2, 0xC0, 0xA8, // cipher_suites: TLS_PSK_WITH_AES_128_CCM_8
            1, 0, // compression_methods: null
        ];
        var record = new byte[13 + 12 + body.Length];
        record[0] = 22; // handshake
        record[1] = 0xFE;
        record[2] = 0xFD;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(11), (ushort)(12 + body.Length));
        record[13] = 1; // client_hello
        WriteUInt24(record.AsSpan(14), body.Length);
        WriteUInt24(record.AsSpan(22), body.Length); // fragment_length; message_seq and fragment_offset stay 0
        body.CopyTo(record, 25);
        return record;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static void WriteUInt24(Span<byte> span, int value)
    {
        span[0] = (byte)(value >> 16);
        span[1] = (byte)(value >> 8);
        span[2] = (byte)value;
    }
}
