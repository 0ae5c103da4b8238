using System.Net;
using System.Net.Sockets;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>How often a pooled observation registers upstream (RFC 7641 §5: once, however many clients observe).</summary>
public sealed class UpstreamRegistrationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task An_observer_joining_before_the_upstreams_first_answer_is_served_by_it_without_a_second_registration()
    {
        // The upstream counts registrations (not the renders of its notifications) and holds its answer to the first
        // until the test lets it go.
        var value = "v0";
        var registrations = 0;
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new TestObservableResource(async context =>
        {
            if (context.Registration is not null && Interlocked.Increment(ref registrations) == 1)
            {
                arrived.TrySetResult();
                await release.Task;
            }

            return CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Volatile.Read(ref value)), ContentFormat.TextPlain);
        });
        await using var harness = ProxyHarness.Start(tree => tree.Map("obs", upstream, TestObservableResource.Metadata));
        await using var clientA = new CoapClient();
        var a = clientA.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        var first = a.MoveNextAsync().AsTask();
        await arrived.Task.WaitAsync(Bound);

        // B registers (CON) while the upstream's first answer is held: the proxy's empty ACK means B's handler is
        // waiting, having asked the observation for a fresh value.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var registration = harness.ForwardRequest(CoapCode.Get, "obs");
        registration.Type = CoapMessageType.Confirmable;
        registration.MessageId = 0x4321;
        registration.Token = CoapToken.FromSpan([0xB0, 0x0B]);
        registration.Observe = 0;
        await socket.SendToAsync(CoapMessageWriter.ToArray(registration), SocketFlags.None, harness.ProxyEndPoint);
        var ack = await ReceiveAsync(socket);
        Assert.True(ack.IsEmpty && ack.Type == CoapMessageType.Acknowledgement, "B's registration was answered at once");

        release.SetResult();
        Assert.True(await first.WaitAsync(Bound));
        Assert.Equal("v0", Encoding.UTF8.GetString(a.Current.Payload.Span));
        var answer = await ReceiveAsync(socket);
        await socket.SendToAsync(CoapMessageWriter.ToArray(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, answer.MessageId)), SocketFlags.None, harness.ProxyEndPoint);
        Assert.Equal("v0", Encoding.UTF8.GetString(answer.Payload.Span));
        Assert.NotNull(answer.Observe);

        // A change reaches A: the proxy's observation is past its first answer, and the upstream saw one registration.
        Volatile.Write(ref value, "v1");
        upstream.Observers.NotifyChanged();
        Assert.True(await a.MoveNextAsync().AsTask().WaitAsync(Bound));
        Assert.Equal("v1", Encoding.UTF8.GetString(a.Current.Payload.Span));
        Assert.Equal(1, Volatile.Read(ref registrations));
        await a.DisposeAsync();
    }

    private static Task<CoapMessage> ReceiveAsync(Socket socket) => RawSocket.ReceiveAsync(socket, Bound);
}
