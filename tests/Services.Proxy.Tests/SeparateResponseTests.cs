using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>A CON request whose upstream is slow is acknowledged at once and answered by a separate CON (RFC 7252 §5.2.2).</summary>
public sealed class SeparateResponseTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_slow_upstream_answer_comes_as_a_separate_CON_after_an_empty_ACK()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var harness = ProxyHarness.Start(tree => tree.Map("slow", new TestResource(async _ =>
        {
            entered.TrySetResult();
            await release.Task;
            return CoapMessage.CreateResponse(CoapCode.Content, "late"u8.ToArray());
        })));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var request = harness.ForwardRequest(CoapCode.Get, "slow");
        request.Type = CoapMessageType.Confirmable;
        request.MessageId = 0x1234;
        request.Token = CoapToken.FromSpan([0xAB, 0xCD]);

        await socket.SendToAsync(CoapMessageWriter.ToArray(request), SocketFlags.None, harness.ProxyEndPoint);
        await entered.Task.WaitAsync(Bound);
        var ack = await ReceiveAsync(socket);
        release.SetResult();
        var separate = await ReceiveAsync(socket);
        await socket.SendToAsync(CoapMessageWriter.ToArray(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, separate.MessageId)), SocketFlags.None, harness.ProxyEndPoint);

        Assert.Equal(CoapMessageType.Acknowledgement, ack.Type);
        Assert.True(ack.IsEmpty);
        Assert.Equal(0x1234, ack.MessageId);
        Assert.Equal(CoapMessageType.Confirmable, separate.Type);
        Assert.Equal(CoapCode.Content, separate.Code);
        Assert.Equal(request.Token, separate.Token);
        Assert.Equal("late"u8.ToArray(), separate.Payload.ToArray());
    }

    private static Task<CoapMessage> ReceiveAsync(Socket socket) => RawSocket.ReceiveAsync(socket, Bound);
}
