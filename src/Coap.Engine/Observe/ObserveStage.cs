using Coap.Engine.Hosting;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging;

namespace Coap.Engine.Observe;

/// <summary>
/// The first server stage (RFC 7641 §4.1): a GET or FETCH with Observe 0 on an observable resource registers the
/// requester under (peer, token) when the response is 2.xx, and the response carries the Observe number; Observe 1
/// deregisters (§3.6). Notifications are rendered by calling <see cref="Next"/>, so later stages shape them too.
/// Observations are bounded per peer, per resource and in all (Coap:MaxObserversPerPeer, MaxObserversPerResource,
/// MaxObservers): a registration beyond a bound is answered as a plain GET, without Observe.
/// </summary>
internal sealed class ObserveStage : IServerStage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObservationKey, Observer> _observers = [];
    private readonly Dictionary<MessageKey, Observer> _byNonConfirmable = [];
    private readonly Dictionary<CoapPeer, List<Observer>> _byPeer = [];
    private readonly int _maxPerPeer;
    private readonly int _maxPerResource;
    private readonly int _maxObservers;
    private int _count;

    public ObserveStage(INotificationSender notifications, CoapEndpointOptions options, IServerStage next)
    {
        Notifications = notifications;
        Next = next;
        ObserverCheckTicks = TicksOf(options.ObserverCheck);
        ObserverCheckNotifications = options.ObserverCheckNotifications;
        _maxPerPeer = options.MaxObserversPerPeer;
        _maxPerResource = options.MaxObserversPerResource;
        _maxObservers = options.MaxObservers;
    }

    public IServerStage Next { get; }

    /// <summary>How notifications leave: the endpoint's message layer.</summary>
    public INotificationSender Notifications { get; }

    public ILogger Logger => Notifications.Logger;

    public long Now => Notifications.Time.GetTimestamp();

    /// <summary>Coap:ObserverCheck in timestamp ticks: the longest time between CON notifications to one observer.</summary>
    public long ObserverCheckTicks { get; }

    /// <summary>Coap:ObserverCheckNotifications: at least one notification in this many to one observer is a CON.</summary>
    public int ObserverCheckNotifications { get; }

    /// <summary>A span in timestamp ticks of the endpoint's clock.</summary>
    public long TicksOf(TimeSpan span) => (long)(span.TotalSeconds * Notifications.Time.TimestampFrequency);

    public ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context)
    {
        var request = context.Request;
        if (request.Observe is not { } observe
            || (request.Code != CoapCode.Get && request.Code != CoapCode.Fetch)
            || !context.Metadata.Observable)
        {
            return Next.InvokeAsync(context);
        }

        if (observe != 0)
        {
            if (observe == 1 && ObserversOf(context) is not null)
            {
                Deregister(new ObservationKey(context.Peer, request.Token), "deregistered");
            }

            return Next.InvokeAsync(context);
        }

        // From here to the end of Register the registration counts as under way (begun by the lookup itself for a
        // route): the resource's last observer leaving meanwhile does not raise Emptied (an intermediary would cancel
        // the observation this one joins).
        if (BeginRegistration(context) is not { } observers)
        {
            return Next.InvokeAsync(context);
        }

        var changes = observers.Changes;
        context.Registration = observers;
        ValueTask<CoapMessage> pending;
        try
        {
            pending = Next.InvokeAsync(context);
        }
        catch
        {
            observers.EndRegistration();
            throw;
        }

        if (!pending.IsCompletedSuccessfully)
        {
            return RegisterLaterAsync(context, observers, changes, pending);
        }

        try
        {
            return ValueTask.FromResult(Register(context, observers, changes, pending.Result));
        }
        finally
        {
            observers.EndRegistration();
        }
    }

    private static ResourceObservers? ObserversOf(CoapRequestContext context) => context.Entry.Resource switch
    {
        IObservableResource resource => resource.Observers,
        IObservableRoute route => route.ObserversOf(context),
        _ => null,
    };

    /// <summary>The observers a registration joins, with the registration begun on them.</summary>
    private static ResourceObservers? BeginRegistration(CoapRequestContext context)
    {
        switch (context.Entry.Resource)
        {
            case IObservableResource resource:
                resource.Observers.BeginRegistration();
                return resource.Observers;
            case IObservableRoute route:
                return route.BeginRegistration(context);
            default:
                return null;
        }
    }

    /// <summary>
    /// Remembers the last NON notification's message ID of an observer, for an RST that may answer it. The caller
    /// holds the observer's resource lock (it is fanning out), which guards the observer's fields.
    /// </summary>
    public void RememberNonConfirmable(Observer observer, ushort messageId)
    {
        lock (_gate)
        {
            if (observer.Removed)
            {
                return;
            }

            if (observer.HasNonConfirmable)
            {
                _byNonConfirmable.Remove(new MessageKey(observer.Peer, observer.LastNonConfirmable));
            }

            observer.LastNonConfirmable = messageId;
            observer.HasNonConfirmable = true;
            _byNonConfirmable[new MessageKey(observer.Peer, messageId)] = observer;
        }
    }

    /// <summary>Waits for a CON notification's end: RST or MAX_RETRANSMIT without ACK removes the observer (RFC 7641 §4.5).</summary>
    /// <remarks>Nobody awaits this task (one per CON notification), so it logs its own failure.</remarks>
    public async Task TrackAsync(Observer observer, Task<TransmissionOutcome> transmission)
    {
        try
        {
            var outcome = await transmission.ConfigureAwait(false);
            switch (outcome.Result)
            {
                case TransmissionResult.Acknowledged:
                    observer.Variant.Resource.ConfirmableEnded(observer, transmission);
                    break;
                case TransmissionResult.Reset:
                    Remove(observer, "reset");
                    break;
                case TransmissionResult.TimedOut:
                    Remove(observer, "notification not acknowledged");
                    break;
            }
        }
        catch (Exception error)
        {
            BackgroundWork.Report(Logger, error, "tracking a confirmable notification");
        }
    }

    /// <summary>
    /// Ends an observation: off the resource's list, out of the stage's tables. With <paramref name="stopRetransmission"/>
    /// a CON notification still in flight is abandoned too (the client said it is no longer interested); otherwise it
    /// runs to its end, so that a final error notification is still delivered. False when it had already ended.
    /// </summary>
    /// <remarks>
    /// The tables are cleaned even when the observer had already ended: one that ended (an RST for its first
    /// notification) before its registration put it in them leaves no entry behind once it is removed again.
    /// </remarks>
    public bool Remove(Observer observer, string reason, bool stopRetransmission = false)
    {
        var last = observer.Variant.Resource.Detach(observer);
        if (stopRetransmission && last?.InFlight is { } inFlight)
        {
            Notifications.Cancel(observer.Peer, inFlight);
        }

        lock (_gate)
        {
            var key = observer.Key;
            if (_observers.TryGetValue(key, out var current) && current == observer)
            {
                _observers.Remove(key);
            }

            if (_byPeer.TryGetValue(observer.Peer, out var ofPeer) && ofPeer.Remove(observer) && ofPeer.Count == 0)
            {
                _byPeer.Remove(observer.Peer);
            }

            if (last?.NonConfirmable is { } messageId
                && _byNonConfirmable.TryGetValue(new MessageKey(observer.Peer, messageId), out var owner) && owner == observer)
            {
                _byNonConfirmable.Remove(new MessageKey(observer.Peer, messageId));
            }
        }

        if (last is null)
        {
            return false;
        }

        Release(observer.Peer);
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            ObserveLog.Removed(Logger, observer.Peer, observer.Token, reason);
        }

        return true;
    }

    private async ValueTask<CoapMessage> RegisterLaterAsync(CoapRequestContext context, ResourceObservers resource, long changes, ValueTask<CoapMessage> pending)
    {
        try
        {
            return Register(context, resource, changes, await pending.ConfigureAwait(false));
        }
        finally
        {
            resource.EndRegistration();
        }
    }

    /// <summary>
    /// A 2.xx answer registers (replacing an entry with the same key, RFC 7641 §4.1); any other answer ends it. A
    /// registration beyond a bound (the peer's, the resource's <see cref="ResourceObservers.Capacity"/> or
    /// Coap:MaxObserversPerResource, the endpoint's) is answered without Observe: the client is not added (§4.1); a
    /// client renewing its own registration (same token, RFC 7641 §3.3.1) keeps its place. A change reported while
    /// the answer was rendered, before the observer was on the list, is notified again, so that the new observer does
    /// not miss it.
    /// </summary>
    private CoapMessage Register(CoapRequestContext context, ResourceObservers resource, long changes, CoapMessage? response)
    {
        var key = new ObservationKey(context.Peer, context.Request.Token);
        if (response is null || !response.Code.IsSuccess)
        {
            Deregister(key, "the registration was answered with an error");
            response?.Options.Remove(OptionNumber.Observe);
            return response!;
        }

        bool replacing;
        bool renewing;
        lock (_gate)
        {
            replacing = _observers.TryGetValue(key, out var current);
            renewing = replacing && current!.Variant.Resource == resource;
        }

        if (!Reserve(context.Peer, replacing))
        {
            response.Options.Remove(OptionNumber.Observe);
            return response;
        }

        if (resource.Add(VariantKey.From(this, context.Request), context, Now, renewing, _maxPerResource, out var sequence) is not { } observer)
        {
            Release(context.Peer);
            response.Options.Remove(OptionNumber.Observe);
            return response;
        }

        Observer? replaced;
        lock (_gate)
        {
            _observers.Remove(key, out replaced);
            _observers.Add(key, observer);
            if (!_byPeer.TryGetValue(context.Peer, out var ofPeer))
            {
                ofPeer = [];
                _byPeer.Add(context.Peer, ofPeer);
            }

            ofPeer.Add(observer);
        }

        if (replaced is not null)
        {
            Remove(replaced, "replaced by a new registration", stopRetransmission: true);
        }

        if (Logger.IsEnabled(LogLevel.Debug))
        {
            ObserveLog.Registered(Logger, context.Peer, context.Request.GetUriPath(), key.Token);
        }

        response.Observe = sequence;
        if (resource.Changes != changes)
        {
            resource.NotifyChanged();
        }

        return response;
    }

    /// <summary>
    /// Counts a registration against the peer's and the endpoint's bounds; false when one is reached. A registration
    /// that replaces one with the same key is counted without the check: the one it replaces is released.
    /// </summary>
    private bool Reserve(CoapPeer peer, bool replacing)
    {
        if (replacing)
        {
            peer.AddObservations(1);
            Interlocked.Increment(ref _count);
            return true;
        }

        var count = Volatile.Read(ref _count);
        while (true)
        {
            if (count >= _maxObservers)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _count, count + 1, count);
            if (seen == count)
            {
                break;
            }

            count = seen;
        }

        if (!peer.TryAddObservation(_maxPerPeer))
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        return true;
    }

    private void Release(CoapPeer peer)
    {
        peer.AddObservations(-1);
        Interlocked.Decrement(ref _count);
    }

    private void Deregister(ObservationKey key, string reason)
    {
        Observer? observer;
        lock (_gate)
        {
            _observers.TryGetValue(key, out observer);
        }

        if (observer is not null)
        {
            Remove(observer, reason, stopRetransmission: true);
        }
    }

    /// <summary>The endpoint stops: every observation it served ends, so that later changes send nothing.</summary>
    public void RemoveAll()
    {
        Observer[] all;
        lock (_gate)
        {
            all = [.. _observers.Values];
        }

        foreach (var observer in all)
        {
            Remove(observer, "the endpoint stopped");
        }
    }

    /// <summary>
    /// Ends every observation of <paramref name="peer"/> at once: its address is unreachable (an ICMP error for a
    /// datagram sent to it). CON notifications in flight to it are abandoned. Returns how many ended.
    /// </summary>
    public int RemoveObserversOf(CoapPeer peer, string reason)
    {
        Observer[] observers;
        lock (_gate)
        {
            if (!_byPeer.TryGetValue(peer, out var ofPeer))
            {
                return 0;
            }

            observers = [.. ofPeer];
        }

        var ended = 0;
        foreach (var observer in observers)
        {
            if (Remove(observer, reason, stopRetransmission: true))
            {
                ended++;
            }
        }

        return ended;
    }

    /// <summary>An RST answering a NON notification ends that observation (RFC 7641 §3.6).</summary>
    public bool OnReset(CoapPeer peer, ushort messageId)
    {
        Observer? observer;
        lock (_gate)
        {
            _byNonConfirmable.TryGetValue(new MessageKey(peer, messageId), out observer);
        }

        if (observer is null)
        {
            return false;
        }

        Remove(observer, "reset");
        return true;
    }
}
