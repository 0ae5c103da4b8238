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

    [Fact]
    public async Task An_observer_registered_while_a_notification_renders_never_gets_that_older_notification()
    {
        TaskCompletionSource? hold = null;
        var resource = new TestObservableResource(async _ =>
        {
            if (Interlocked.Exchange(ref hold, null) is { } held)
            {
                await held.Task;
            }

            return CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Volatile.Read(ref _state).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hold = release;
        _state = 1;
        resource.Observers.NotifyChanged();
        _state = 2;
        server.Peer.Send(Get("obs", 2, 0xB2));
        var registered = server.Peer.Expect();
        release.SetResult();
        var first = await server.Peer.ExpectAsync();
        resource.Observers.NotifyChanged();
        var later = new[] { await server.Peer.ExpectAsync(), await server.Peer.ExpectAsync() };

        Assert.Equal("2", Text(registered));
        Assert.Equal(Token(0xA1), first.Token);
        Assert.True(IsNewer(registered.Observe!.Value, first.Observe!.Value), "the held render is older than the registration");
        Assert.Equal(new HashSet<CoapToken> { Token(0xA1), Token(0xB2) }, later.Select(m => m.Token).ToHashSet());
        Assert.All(later, m => Assert.True(IsNewer(m.Observe!.Value, registered.Observe!.Value)));
    }

    /// <summary>RFC 7641 §3.4: <paramref name="later"/> is newer than <paramref name="earlier"/> in 24-bit serial order.</summary>
    private static bool IsNewer(int later, int earlier) => ((later - earlier) & 0xFFFFFF) is > 0 and < 1 << 23;

    private async ValueTask<CoapMessage> Slow(Coap.Engine.Server.CoapRequestContext context)
    {
        await _gate.Task;
        return CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Volatile.Read(ref _state).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
