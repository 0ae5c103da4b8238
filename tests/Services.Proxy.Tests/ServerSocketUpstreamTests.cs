using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>
/// A coap:// upstream with the proxy-wide settings is asked from the server's own socket, through a client of the
/// endpoint the client's request came in on: the upstream's answers come back to that socket, mixed with the server's
/// requests, and only the exchange's peer and token match them.
/// </summary>
public sealed class ServerSocketUpstreamTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_forwarded_request_leaves_from_the_proxy_s_own_port()
    {
        IPEndPoint? seen = null;
        await using var harness = ProxyHarness.Start(tree => tree.Map("who", new TestResource(context =>
        {
            seen = context.RemoteEndPoint;
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, "me"u8.ToArray()));
        })));

        var forward = await harness.ForwardAsync(CoapCode.Get, "who").WaitAsync(Bound);
        var reverse = await harness.Client.GetAsync(harness.Proxy.Uri("dev/up/who")).WaitAsync(Bound);

        Assert.Equal(CoapCode.Content, forward.Code);
        Assert.Equal(CoapCode.Content, reverse.Code);
        Assert.Equal(harness.Proxy.Port, seen!.Port);
    }

    [Fact]
    public async Task An_answer_with_the_exchange_s_token_from_another_address_is_not_taken_for_the_upstream_s()
    {
        using var device = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        device.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var forger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        forger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var harness = ProxyHarness.Start(_ => { });
        var port = ((IPEndPoint)device.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);
        var request = harness.Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, $"coap://127.0.0.1:{port}/thing"));

        var answer = harness.SendAsync(request);
        var (upstream, proxy) = await ReceiveAsync(device);
        var forged = CoapMessage.CreateResponse(CoapCode.Content, "forged"u8.ToArray());
        forged.Type = CoapMessageType.NonConfirmable;
        forged.MessageId = 0x4242;
        forged.Token = upstream.Token;
        await forger.SendToAsync(CoapMessageWriter.ToArray(forged), SocketFlags.None, proxy);
        var (reset, _) = await ReceiveAsync(forger);
        var genuine = CoapMessage.CreateResponse(CoapCode.Content, "genuine"u8.ToArray());
        genuine.Type = CoapMessageType.Acknowledgement;
        genuine.MessageId = upstream.MessageId;
        genuine.Token = upstream.Token;
        await device.SendToAsync(CoapMessageWriter.ToArray(genuine), SocketFlags.None, proxy);
        var response = await answer.WaitAsync(Bound);

        Assert.Equal(harness.Proxy.Port, proxy.Port);
        Assert.Equal(CoapMessageType.Reset, reset.Type);
        Assert.Equal(0x4242, reset.MessageId);
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("genuine", Encoding.UTF8.GetString(response.Payload.Span));
    }

    private static async Task<(CoapMessage Message, IPEndPoint From)> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(Bound);
        var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryReadCopy(buffer.AsSpan(0, received.ReceivedBytes), out var message));
        return (message!, (IPEndPoint)received.RemoteEndPoint);
    }
}
