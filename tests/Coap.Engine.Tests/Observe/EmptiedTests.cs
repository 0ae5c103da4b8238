using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

/// <summary>
/// <see cref="Coap.Engine.Observe.ResourceObservers.Emptied"/> and registrations under way: an intermediary cancels
/// its upstream observation on it, so it must not be raised while an observer is joining.
/// </summary>
public sealed class EmptiedTests
{
    private static readonly CoapToken Held = Token(0xA2);
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<CoapCode> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TestObservableResource _resource;
    private int _emptied;

    public EmptiedTests()
    {
        // The registration with token 0xA2 is answered when the test says, with the code it says.
        _resource = new TestObservableResource(async context =>
        {
            if (context.Request.Observe == 0 && context.Request.Token == Held)
            {
                _arrived.TrySetResult();
                return CoapMessage.CreateResponse(await _release.Task.ConfigureAwait(false), "x"u8.ToArray());
            }

            return CoapMessage.CreateResponse(CoapCode.Content, "x"u8.ToArray());
        });
        _resource.Observers.Emptied += _ => Interlocked.Increment(ref _emptied);
    }

    [Fact]
    public async Task The_last_observer_leaving_while_another_registers_does_not_empty_the_resource()
    {
        await using var server = Start();
        server.Peer.Send(Get("obs", 1, 0xA1));
        Assert.NotNull(server.Peer.Expect().Observe);
        server.Peer.Send(Get("obs", 2, 0xA2));
        await _arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        server.Peer.Send(Get("obs", 3, 0xA1, observe: 1));
        Assert.Equal(Token(0xA1), server.Peer.Expect().Token);
        Assert.Equal(0, _resource.Observers.Count);
        Assert.Equal(0, Volatile.Read(ref _emptied));

        _release.SetResult(CoapCode.Content);
        var registered = await server.Peer.ExpectAsync();

        Assert.Equal(Held, registered.Token);
        Assert.NotNull(registered.Observe);
        Assert.Equal(1, _resource.Observers.Count);
        Assert.Equal(0, Volatile.Read(ref _emptied));
    }

    [Fact]
    public async Task A_registration_that_fails_after_the_last_observer_left_empties_the_resource_once()
    {
        await using var server = Start();
        server.Peer.Send(Get("obs", 1, 0xA1));
        Assert.NotNull(server.Peer.Expect().Observe);
        server.Peer.Send(Get("obs", 2, 0xA2));
        await _arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        server.Peer.Send(Get("obs", 3, 0xA1, observe: 1));
        server.Peer.Expect();

        _release.SetResult(CoapCode.NotFound);
        var refused = await server.Peer.ExpectAsync();

        Assert.Equal(CoapCode.NotFound, refused.Code);
        Assert.Equal(0, _resource.Observers.Count);
        Assert.Equal(1, Volatile.Read(ref _emptied));
    }

    private ServerFixture Start() => new(t => t.Map("obs", _resource, TestObservableResource.Metadata));
}
