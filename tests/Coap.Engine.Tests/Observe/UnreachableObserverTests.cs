using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

/// <summary>
/// ICMP errors on the server's socket (IP_RECVERR, Linux): a notification to a client socket that was closed is
/// answered by the kernel's "port unreachable", and every observation of that address ends at once, without waiting
/// for a CON to give up; other peers' observations go on, and so do the socket's other sends.
/// </summary>
public sealed class UnreachableObserverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::")]
    public async Task A_port_unreachable_error_removes_every_observation_of_that_address_at_once(string address)
    {
        var state = 0;
        var resource = TestObservableResource.Text(() => state.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var tree = new ResourceTree();
        tree.Map("obs", resource, TestObservableResource.Metadata);
        await using var server = TestEndpoints.StartUdpServer(tree, bind: IPAddress.Parse(address));
        var port = server.LocalEndPoints[0].Port;
        using var gone = new UdpObserver(port, outsideEphemeralPorts: true);
        using var stays = new UdpObserver(port);
        Assert.NotNull((await gone.RegisterAsync(0xA1)).Observe);
        Assert.NotNull((await gone.RegisterAsync(0xA2)).Observe);
        Assert.NotNull((await stays.RegisterAsync(0xB1)).Observe);

        gone.Dispose();
        state = 1;
        resource.Observers.NotifyChanged();

        Assert.True(SpinWait.SpinUntil(() => resource.Observers.Count == 1, Timeout), $"{resource.Observers.Count} observers left");
        Assert.Equal("1", Text(await stays.ReceiveAsync()));
        state = 2;
        resource.Observers.NotifyChanged();
        var next = await stays.ReceiveAsync();
        Assert.Equal("2", Text(next));
        Assert.Equal(Token(0xB1), next.Token);
    }

    /// <summary>A client on its own IPv4 loopback socket that registers and reads what the server sends.</summary>
    private sealed class UdpObserver : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly IPEndPoint _server;
        private readonly byte[] _buffer = new byte[2048];
        private ushort _messageId = 1;

        /// <param name="outsideEphemeralPorts">
        /// Bind a port below the kernel's ephemeral range, which no socket bound to port 0 (another test's) can take
        /// once this one is closed: the notification must meet a closed port, not someone else's socket.
        /// </param>
        public UdpObserver(int port, bool outsideEphemeralPorts = false)
        {
            if (outsideEphemeralPorts)
            {
                BindBelowEphemeralRange();
            }
            else
            {
                _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            _server = new IPEndPoint(IPAddress.Loopback, port);
        }

        private void BindBelowEphemeralRange()
        {
            var low = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                try
                {
                    _socket.Bind(new IPEndPoint(IPAddress.Loopback, Random.Shared.Next(Math.Max(1024, low - 10_000), low)));
                    return;
                }
                catch (SocketException)
                {
                }
            }

            throw new InvalidOperationException("no free UDP port below the ephemeral range");
        }

        public async Task<CoapMessage> RegisterAsync(ulong token)
        {
            await _socket.SendToAsync(CoapMessageWriter.ToArray(Get("obs", _messageId++, token)), SocketFlags.None, _server);
            return await ReceiveAsync();
        }

        public async Task<CoapMessage> ReceiveAsync()
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var received = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
            Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryReadCopy(_buffer.AsSpan(0, received.ReceivedBytes), out var message));
            return message!;
        }

        public void Dispose() => _socket.Dispose();
    }
}
