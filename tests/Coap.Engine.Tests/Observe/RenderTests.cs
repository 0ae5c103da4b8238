using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

public sealed class RenderTests
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state;

    [Fact]
    public async Task A_registration_answered_later_still_registers()
    {
        var resource = new TestObservableResource(Slow);
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));

        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.ExpectNothing();
        _gate.SetResult();
        var response = await server.Peer.ExpectAsync();

        Assert.Equal(CoapMessageType.Acknowledgement, response.Type);
        Assert.NotNull(response.Observe);
        Assert.Equal(1, resource.Observers.Count);
    }

    [Fact]
    public async Task Changes_during_a_render_fold_into_one_more_render_of_the_latest_state()
    {
        var resource = new TestObservableResource(Slow);
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        _gate.SetResult();
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _state = 1;
        resource.Observers.NotifyChanged();
        _state = 2;
        resource.Observers.NotifyChanged();
        _state = 3;
        resource.Observers.NotifyChanged();
        _gate.SetResult();

        Assert.Equal("3", Text(await server.Peer.ExpectAsync()));
        Assert.Equal("3", Text(await server.Peer.ExpectAsync()));
        Assert.Equal(3, resource.Calls);
    }

    [Fact]
    public async Task A_handler_that_throws_during_a_render_ends_the_observation_with_5_00()
    {
        var broken = false;
        var resource = new TestObservableResource(_ => broken
            ? throw new InvalidOperationException("broken")
            : CoapMessage.CreateResponse(CoapCode.Content, "ok"u8.ToArray()));
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();

        broken = true;
        resource.Observers.NotifyChanged();
        var notification = server.Peer.Expect();

        Assert.Equal(CoapCode.InternalServerError, notification.Code);
        Assert.Null(notification.Observe);
        Assert.Equal(0, resource.Observers.Count);
    }

    [Fact]
    public async Task Fetch_observers_with_different_bodies_are_different_variants()
    {
        var resource = new TestObservableResource(c => CoapMessage.CreateResponse(CoapCode.Content, c.Request.Payload.ToArray()));
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        foreach (var (mid, body) in new (ushort, string)[] { (1, "a"), (2, "b"), (3, "a") })
        {
            var fetch = ServerFixture.Request(CoapCode.Fetch, "obs", mid, token: 0x100u + mid);
            fetch.Observe = 0;
            fetch.Payload = Encoding.UTF8.GetBytes(body);
            server.Peer.Send(fetch);
            Assert.NotNull(server.Peer.Expect().Observe);
        }

        var before = resource.Calls;
        resource.Observers.NotifyChanged();

        Assert.Equal(before + 2, resource.Calls);
        var bodies = new List<string> { Text(server.Peer.Expect()), Text(server.Peer.Expect()), Text(server.Peer.Expect()) };
        bodies.Sort(StringComparer.Ordinal);
        Assert.Equal(["a", "a", "b"], bodies);
    }

    private async ValueTask<CoapMessage> Slow(Coap.Engine.Server.CoapRequestContext context)
    {
        await _gate.Task;
        return CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Volatile.Read(ref _state).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
