using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Client;

namespace Coap.Engine.Tests.Observe;

/// <summary>The client side of RFC 7641, with the test playing the server notification by notification.</summary>
public sealed class ClientObserveTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static string Text(CoapMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    private static Action<CoapMessage> Observe(int number, uint? maxAge = null) => m =>
    {
        m.Observe = number;
        m.MaxAge = maxAge;
    };

    private static async Task<string> NextTextAsync(IAsyncEnumerator<CoapMessage> notifications)
    {
        Assert.True(await notifications.MoveNextAsync().AsTask().WaitAsync(Patience));
        return Text(notifications.Current);
    }

    /// <summary>Disposes the enumerator and answers the deregistration it sends.</summary>
    private static async Task StopAsync(ClientLockstep peer, IAsyncEnumerator<CoapMessage> notifications)
    {
        var disposing = notifications.DisposeAsync().AsTask();
        var deregister = await peer.NextAsync();
        Assert.Equal(1, deregister.Observe);
        peer.Reply(deregister, CoapCode.Content);
        await disposing.WaitAsync(Patience);
    }

    [Fact]
    public async Task Stale_notifications_are_dropped_and_con_ones_acknowledged()
    {
        await using var peer = new ClientLockstep();
        var notifications = peer.Client.ObserveAsync(ClientLockstep.Uri("time")).GetAsyncEnumerator();
        var moving = notifications.MoveNextAsync();

        var register = await peer.NextAsync();
        Assert.Equal(CoapCode.Get, register.Code);
        Assert.Equal(0, register.Observe);
        peer.Reply(register, CoapCode.Content, "a"u8.ToArray(), Observe(5));
        Assert.True(await moving.AsTask().WaitAsync(Patience));
        Assert.Equal("a", Text(notifications.Current));

        var mid = peer.Notify(register.Token, CoapMessageType.Confirmable, CoapCode.Content, "b"u8.ToArray(), Observe(7));
        var ack = await peer.NextAsync();
        Assert.Equal(CoapMessageType.Acknowledgement, ack.Type);
        Assert.Equal(mid, ack.MessageId);
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "stale"u8.ToArray(), Observe(6));
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "c"u8.ToArray(), Observe(8));
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "older"u8.ToArray(), Observe(3));
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "too far ahead"u8.ToArray(), Observe(8 + (1 << 23) + 1));
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "half"u8.ToArray(), Observe(8 + (1 << 23) - 1));
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "wrapped"u8.ToArray(), Observe(2));

        Assert.Equal("b", await NextTextAsync(notifications));
        Assert.Equal("c", await NextTextAsync(notifications));
        Assert.Equal("half", await NextTextAsync(notifications));
        Assert.Equal("wrapped", await NextTextAsync(notifications));
        await StopAsync(peer, notifications);
    }

    [Fact]
    public async Task An_old_number_is_fresh_again_after_128_seconds()
    {
        await using var peer = new ClientLockstep();
        var notifications = peer.Client.ObserveAsync(ClientLockstep.Uri("time")).GetAsyncEnumerator();
        var moving = notifications.MoveNextAsync();
        var register = await peer.NextAsync();
        peer.Reply(register, CoapCode.Content, "a"u8.ToArray(), Observe(100, 1000));
        Assert.True(await moving.AsTask().WaitAsync(Patience));

        peer.Time.Advance(TimeSpan.FromSeconds(129));
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "reboot"u8.ToArray(), Observe(2, 1000));

        Assert.Equal("reboot", await NextTextAsync(notifications));
        await StopAsync(peer, notifications);
    }

    [Fact]
    public async Task Client_reregisters_with_the_same_token_when_max_age_passes()
    {
        await using var peer = new ClientLockstep();
        var notifications = peer.Client.ObserveAsync(ClientLockstep.Uri("time")).GetAsyncEnumerator();
        var moving = notifications.MoveNextAsync();
        var register = await peer.NextAsync();
        peer.Reply(register, CoapCode.Content, "a"u8.ToArray(), Observe(1, 10));
        Assert.True(await moving.AsTask().WaitAsync(Patience));

        // The client arms its re-registration timer for Max-Age plus the margin; short of that, nothing fires.
        var armed = peer.Time.WhenArmedAsync(TimeSpan.FromSeconds(10) + ClientObservation.ReregistrationMargin);
        moving = notifications.MoveNextAsync();
        await armed.WaitAsync(Patience);
        peer.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(peer.IsQuiet, "no re-registration before Max-Age and the margin");
        peer.Time.Advance(TimeSpan.FromSeconds(1.5));

        var again = await peer.NextAsync();
        Assert.Equal(CoapCode.Get, again.Code);
        Assert.Equal(0, again.Observe);
        Assert.Equal(register.Token, again.Token);
        Assert.NotEqual(register.MessageId, again.MessageId);
        Assert.Equal("/time", again.GetUriPath());
        peer.Reply(again, CoapCode.Content, "b"u8.ToArray(), Observe(2, 10));
        Assert.True(await moving.AsTask().WaitAsync(Patience));
        Assert.Equal("b", Text(notifications.Current));
        await StopAsync(peer, notifications);
    }

    [Fact]
    public async Task Stopping_deregisters_with_observe_1()
    {
        await using var peer = new ClientLockstep();
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var notification in peer.Client.ObserveAsync(ClientLockstep.Uri("time"), stop.Token))
            {
                seen.Add(Text(notification));
                if (seen.Count == 2)
                {
                    break;
                }
            }
        });

        var register = await peer.NextAsync();
        peer.Reply(register, CoapCode.Content, "a"u8.ToArray(), Observe(1));
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "b"u8.ToArray(), Observe(2));

        var deregister = await peer.NextAsync();
        Assert.Equal(CoapCode.Get, deregister.Code);
        Assert.Equal(1, deregister.Observe);
        Assert.Equal(register.Token, deregister.Token);
        peer.Reply(deregister, CoapCode.Content, "last"u8.ToArray());
        await reading.WaitAsync(Patience);
        Assert.Equal(["a", "b"], seen);

        peer.Notify(register.Token, CoapMessageType.Confirmable, CoapCode.Content, "late"u8.ToArray(), Observe(3));
        Assert.Equal(CoapMessageType.Reset, (await peer.NextAsync()).Type);
    }

    [Fact]
    public async Task An_error_or_a_response_without_observe_ends_the_stream_without_deregistering()
    {
        await using var peer = new ClientLockstep();
        var seen = new List<CoapMessage>();
        var reading = Task.Run(async () =>
        {
            await foreach (var notification in peer.Client.ObserveAsync(ClientLockstep.Uri("time")))
            {
                seen.Add(notification);
            }
        });

        var register = await peer.NextAsync();
        peer.Reply(register, CoapCode.Content, "a"u8.ToArray(), Observe(1));
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.NotFound, default);

        await reading.WaitAsync(Patience);
        Assert.Equal([CoapCode.Content, CoapCode.NotFound], seen.Select(m => m.Code));
        // A deregistration would have been sent by the stream's clean-up, which has run once the reading ended.
        Assert.True(peer.IsQuiet);
    }

    [Fact]
    public async Task An_unanswered_reregistration_ends_the_stream_with_a_timeout()
    {
        await using var peer = new ClientLockstep(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(20), NonConfirmable = true });
        var notifications = peer.Client.ObserveAsync(ClientLockstep.Uri("time")).GetAsyncEnumerator();
        var moving = notifications.MoveNextAsync();
        var register = await peer.NextAsync();
        Assert.Equal(CoapMessageType.NonConfirmable, register.Type);
        peer.Notify(register.Token, CoapMessageType.NonConfirmable, CoapCode.Content, "a"u8.ToArray(), Observe(1, 5));
        Assert.True(await moving.AsTask().WaitAsync(Patience));

        // Each advance waits for the timer it is meant to fire: the re-registration's wait (Max-Age plus the margin),
        // then the 20 s the re-registration is given, which the client arms only after sending it.
        var waiting = peer.Time.WhenArmedAsync(TimeSpan.FromSeconds(5) + ClientObservation.ReregistrationMargin);
        moving = notifications.MoveNextAsync();
        await waiting.WaitAsync(Patience);
        var answering = peer.Time.WhenArmedAsync(TimeSpan.FromSeconds(20));
        peer.Time.Advance(TimeSpan.FromSeconds(8));
        var again = await peer.NextAsync();
        Assert.Equal(0, again.Observe);
        await answering.WaitAsync(Patience);
        peer.Time.Advance(TimeSpan.FromSeconds(21));

        await Assert.ThrowsAsync<CoapTimeoutException>(() => moving.AsTask().WaitAsync(Patience));
        // Disposing runs the stream's clean-up, where a deregistration would be sent.
        await notifications.DisposeAsync();
        Assert.True(peer.IsQuiet, "no deregistration for an observation the server does not answer");
    }
}
