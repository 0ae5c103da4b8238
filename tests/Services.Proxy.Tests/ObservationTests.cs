using System.Diagnostics;
using System.Globalization;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Testing;
using Coap.Testing.Programs;

namespace Services.Proxy.Tests;

/// <summary>Aggregated observations (RFC 7641 §5): one registration upstream, fanned out to every client.</summary>
public sealed class ObservationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Three_clients_one_of_them_libcoap_share_one_upstream_registration_until_the_last_leaves()
    {
        var value = "v0";
        var upstream = TestObservableResource.Text(() => Volatile.Read(ref value));
        var upstreamEmptied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        upstream.Observers.Emptied += _ => upstreamEmptied.TrySetResult();
        await using var harness = ProxyHarness.Start(tree => tree.Map("obs", upstream, TestObservableResource.Metadata));
        await using var clientA = new CoapClient();
        await using var clientB = new CoapClient();
        var a = clientA.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        var b = clientB.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        using var libcoap = Tool.Start(Tool.Find("coap-client-notls"),
            ["-B", "60", "-s", "60", "-P", $"coap://127.0.0.1:{harness.Proxy.Port.ToString(CultureInfo.InvariantCulture)}", harness.UpstreamUri("obs")]);
        var lines = new OutputWatcher(libcoap);
        try
        {
            Assert.Equal("v0", await NextAsync(a));
            Assert.Equal("v0", await NextAsync(b));
            await lines.WaitForAsync("v0").WaitAsync(Bound);
            Assert.Equal(1, upstream.Observers.Count);

            foreach (var next in new[] { "v1", "v2" })
            {
                Volatile.Write(ref value, next);
                upstream.Observers.NotifyChanged();
                Assert.Equal(next, await NextAsync(a));
                Assert.Equal(next, await NextAsync(b));
                await lines.WaitForAsync(next).WaitAsync(Bound);
            }

            Assert.Equal(1, upstream.Observers.Count);
            await a.DisposeAsync();
            await b.DisposeAsync();
            Assert.False(upstreamEmptied.Task.IsCompleted, "the upstream observation ended while libcoap still observed");
        }
        finally
        {
            libcoap.Kill(entireProcessTree: true);
            await libcoap.WaitForExitAsync();
        }

        // The next notification finds libcoap's port closed (ICMP): its observer goes, the last one, and the proxy
        // cancels upstream.
        Volatile.Write(ref value, "v3");
        upstream.Observers.NotifyChanged();
        await upstreamEmptied.Task.WaitAsync(Bound);
        Assert.Equal(0, upstream.Observers.Count);
    }

    [Fact]
    public async Task A_later_observer_gets_the_latest_value_at_once_and_an_upstream_error_ends_every_observation()
    {
        var value = "first";
        var failing = false;
        var upstream = new TestObservableResource(_ => Volatile.Read(ref failing)
            ? CoapMessage.CreateResponse(CoapCode.NotFound)
            : CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Volatile.Read(ref value))));
        await using var harness = ProxyHarness.Start(tree => tree.Map("obs", upstream, TestObservableResource.Metadata));
        await using var clientA = new CoapClient();
        await using var clientB = new CoapClient();

        var a = clientA.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        Assert.Equal("first", await NextAsync(a));
        Volatile.Write(ref value, "second");
        upstream.Observers.NotifyChanged();
        Assert.Equal("second", await NextAsync(a));
        var callsBeforeB = upstream.Calls;
        var b = clientB.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        Assert.Equal("second", await NextAsync(b));
        Assert.Equal(callsBeforeB + 1, upstream.Calls);

        Volatile.Write(ref failing, true);
        upstream.Observers.NotifyChanged();
        Assert.True(await a.MoveNextAsync().AsTask().WaitAsync(Bound));
        Assert.True(await b.MoveNextAsync().AsTask().WaitAsync(Bound));

        Assert.Equal(CoapCode.NotFound, a.Current.Code);
        Assert.Equal(CoapCode.NotFound, b.Current.Code);
        Assert.False(await a.MoveNextAsync().AsTask().WaitAsync(Bound));
        Assert.False(await b.MoveNextAsync().AsTask().WaitAsync(Bound));
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task A_new_observer_has_the_upstream_re_registered_with_the_same_token_and_never_starts_stale()
    {
        var value = "v0";
        var upstream = TestObservableResource.Text(() => Volatile.Read(ref value));
        await using var harness = ProxyHarness.Start(tree => tree.Map("obs", upstream, TestObservableResource.Metadata));
        await using var clientA = new CoapClient();
        await using var clientB = new CoapClient();
        var a = clientA.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        Assert.Equal("v0", await NextAsync(a));

        // The upstream's value changes without a notification (one lost, say): the proxy's latest is stale.
        Volatile.Write(ref value, "v1");
        var b = clientB.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();

        Assert.Equal("v1", await NextAsync(b));
        Assert.Equal("v1", await NextAsync(a));
        Assert.Equal(1, upstream.Observers.Count);
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task A_notification_that_only_refreshes_the_value_reaches_the_clients_but_the_echo_of_a_re_registration_does_not()
    {
        var value = "v0";
        var upstream = new TestObservableResource(_ =>
        {
            var response = CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Volatile.Read(ref value)), ContentFormat.TextPlain);
            response.MaxAge = 30;
            return response;
        });
        await using var harness = ProxyHarness.Start(tree => tree.Map("obs", upstream, TestObservableResource.Metadata));
        await using var clientA = new CoapClient();
        await using var clientB = new CoapClient();
        var a = clientA.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        Assert.Equal("v0", await NextAsync(a));

        // The origin says the value is still fresh (RFC 7641 §4.3.1): the same notification again, a new Max-Age.
        upstream.Observers.NotifyChanged();
        Assert.Equal("v0", await NextAsync(a));
        Assert.Equal(30u, a.Current.MaxAge);

        // B's registration has the proxy re-register upstream: its answer, what A holds already, goes to B alone.
        var b = clientB.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        Assert.Equal("v0", await NextAsync(b));
        Volatile.Write(ref value, "v1");
        upstream.Observers.NotifyChanged();
        Assert.Equal("v1", await NextAsync(a));
        Assert.Equal("v1", await NextAsync(b));
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task A_registration_racing_the_last_observers_departure_ends_up_with_a_live_upstream_observation()
    {
        // The upstream holds its answer to the proxy's re-registration (asked for by B's registration) until the
        // test lets it go: B is then between the pool's lookup and its observer being added when A, the last
        // observer, leaves.
        var value = "v0";
        TaskCompletionSource? arrived = null;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new TestObservableResource(async context =>
        {
            if (context.Request.Observe == 0 && Volatile.Read(ref arrived) is { } held)
            {
                held.TrySetResult();
                await release.Task;
            }

            return CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Volatile.Read(ref value)), ContentFormat.TextPlain);
        });
        await using var harness = ProxyHarness.Start(tree => tree.Map("obs", upstream, TestObservableResource.Metadata));
        await using var clientA = new CoapClient();
        await using var clientB = new CoapClient();
        var a = clientA.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        Assert.Equal("v0", await NextAsync(a));

        var renewal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref arrived, renewal);
        var b = clientB.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        var first = NextAsync(b);
        await renewal.Task.WaitAsync(Bound);

        // A deregisters (its enumerator's end sends GET with Observe 1 and waits for the answer): the proxy has taken
        // its observer off the list, the last one, once this returns.
        await a.DisposeAsync();
        Volatile.Write(ref arrived, null);
        release.SetResult();
        Assert.Equal("v0", await first);

        Volatile.Write(ref value, "v1");
        upstream.Observers.NotifyChanged();
        Assert.Equal("v1", await NextAsync(b));
        Assert.Equal(1, upstream.Observers.Count);
        await b.DisposeAsync();
    }

    [Fact]
    public async Task A_registration_a_later_stage_refuses_does_not_keep_the_upstream_observation_once_the_last_observer_left()
    {
        var upstream = TestObservableResource.Text(() => "v0");
        var upstreamEmptied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        upstream.Observers.Emptied += _ => upstreamEmptied.TrySetResult();
        await using var harness = ProxyHarness.Start(tree => tree.Map("obs", upstream, TestObservableResource.Metadata));
        await using var clientA = new CoapClient();
        var a = clientA.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        Assert.Equal("v0", await NextAsync(a));

        // B's registration joins the key's observation, then the Block2 stage refuses it (SZX 7 is reserved) before
        // the proxy's handler runs.
        var registration = harness.ForwardRequest(CoapCode.Get, "obs");
        registration.Observe = 0;
        registration.Options.Add(new CoapOption(OptionNumber.Block2, new byte[] { 0x07 }));
        var refused = await harness.SendAsync(registration).WaitAsync(Bound);
        Assert.Equal(CoapCode.BadRequest, refused.Code);
        Assert.Null(refused.Observe);

        // A, the last observer, leaves: the proxy cancels upstream (not a sweep a minute later).
        await a.DisposeAsync();
        await upstreamEmptied.Task.WaitAsync(Bound);
        Assert.Equal(0, upstream.Observers.Count);
    }

    [Fact]
    public async Task A_refused_registration_does_not_hold_a_place_among_the_proxys_observations()
    {
        var upstream = TestObservableResource.Text(() => "v0");
        await using var harness = ProxyHarness.Start(
            tree => tree.Map("obs", upstream, TestObservableResource.Metadata),
            new Dictionary<string, string?> { ["Modules:Proxy:MaxObservations"] = "1" });

        // Q-Block2 with Observe: the Q-Block2 stage refuses it before the proxy's handler runs.
        var registration = harness.ForwardRequest(CoapCode.Get, "obs");
        registration.Observe = 0;
        registration.Options.Add(new BlockValue(0, true, 2).ToOption(OptionNumber.QBlock2));
        var refused = await harness.SendAsync(registration).WaitAsync(Bound);
        Assert.Equal(CoapCode.BadOption, refused.Code);

        // The one place is free: the next registration observes upstream.
        await using var client = new CoapClient();
        var b = client.ObserveAsync(harness.ForwardRequest(CoapCode.Get, "obs"), harness.ProxyEndPoint).GetAsyncEnumerator();
        Assert.Equal("v0", await NextAsync(b));
        Assert.NotNull(b.Current.Observe);
        Assert.Equal(1, upstream.Observers.Count);
        await b.DisposeAsync();
    }

    private static async Task<string> NextAsync(IAsyncEnumerator<CoapMessage> notifications)
    {
        Assert.True(await notifications.MoveNextAsync().AsTask().WaitAsync(Bound), "the observation ended");
        Assert.Equal(CoapCode.Content, notifications.Current.Code);
        return Encoding.UTF8.GetString(notifications.Current.Payload.Span);
    }

    /// <summary>
    /// Reads a process's standard output as it comes; a test awaits a text in it. libcoap's client writes each
    /// notification's payload without a line break, so this watches the text, not lines.
    /// </summary>
    private sealed class OutputWatcher
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _text = new();
        private readonly List<(string Text, TaskCompletionSource Seen)> _waiting = [];

        public OutputWatcher(Process process)
        {
            _ = Task.Run(async () =>
            {
                var buffer = new char[256];
                int read;
                while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
                {
                    lock (_gate)
                    {
                        _text.Append(buffer, 0, read);
                        var text = _text.ToString();
                        foreach (var (wanted, seen) in _waiting)
                        {
                            if (text.Contains(wanted, StringComparison.Ordinal))
                            {
                                seen.TrySetResult();
                            }
                        }
                    }
                }
            });
        }

        public Task WaitForAsync(string text)
        {
            lock (_gate)
            {
                if (_text.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return Task.CompletedTask;
                }

                var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((text, seen));
                return seen.Task;
            }
        }
    }
}
