using Coap.Engine.Client;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Client;

namespace Coap.Engine.Tests.Observe;

/// <summary>
/// The client side of an observation with an <see cref="ObservationRenewal"/> (what the proxy's upstream observations
/// use): waiting for a notification and taking one allocate nothing per notification.
/// </summary>
public sealed class ClientObserveAllocationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Notifications_read_with_a_renewal_allocate_nothing_whether_waited_for_or_queued()
    {
        await using var peer = new ClientLockstep();
        var renewal = new ObservationRenewal();
        var request = peer.Client.NewRequest(CoapCode.Get, default, null);
        request.Options.Add(CoapOption.FromString(OptionNumber.UriPath, "time"));
        var notifications = peer.Client.ObserveAsync(request, ClientLockstep.Server, renewal).GetAsyncEnumerator();
        var moving = notifications.MoveNextAsync();
        var register = await peer.NextAsync();
        peer.Reply(register, CoapCode.Content, "0"u8.ToArray(), m => m.Observe = 1);
        Assert.True(await moving.AsTask().WaitAsync(Patience));

        // A renewal asked for while the client waits wakes it: the re-registration goes out on the same token.
        moving = notifications.MoveNextAsync();
        renewal.Request();
        var renewed = await peer.NextAsync();
        Assert.Equal(register.Token, renewed.Token);
        Assert.Equal(0, renewed.Observe);
        peer.Reply(renewed, CoapCode.Content, "1"u8.ToArray(), m => m.Observe = 2);
        Assert.True(await moving.AsTask().WaitAsync(Patience));

        var observe = 3;
        long waiting = 0;
        for (var i = 0; i < 20; i++)
        {
            // Setting up the wait for the next notification, on this thread, up to where it waits.
            var before = GC.GetAllocatedBytesForCurrentThread();
            moving = notifications.MoveNextAsync();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.False(moving.IsCompleted);
            peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "w"u8.ToArray(), m => m.Observe = observe++);
            Assert.True(await moving.AsTask().WaitAsync(Patience));
            waiting += i < 10 ? 0 : allocated;
        }

        // Notifications already queued are taken without waiting, all on this thread.
        for (var i = 0; i < 20; i++)
        {
            peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "q"u8.ToArray(), m => m.Observe = observe++);
        }

        var start = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            var next = notifications.MoveNextAsync();
            Assert.True(next.IsCompletedSuccessfully, "a queued notification was not taken at once");
            Assert.True(await next);
        }

        var queued = GC.GetAllocatedBytesForCurrentThread() - start;

        Assert.Equal(0, waiting);
        Assert.Equal(0, queued);
        var disposing = notifications.DisposeAsync().AsTask();
        var deregister = await peer.NextAsync();
        Assert.Equal(1, deregister.Observe);
        peer.Reply(deregister, CoapCode.Content);
        await disposing.WaitAsync(Patience);
    }
}
