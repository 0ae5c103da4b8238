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
/// </summary>
internal sealed class ObserveStage : IServerStage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObservationKey, Observer> _observers = [];
    private readonly Dictionary<MessageKey, Observer> _byNonConfirmable = [];

    public ObserveStage(INotificationSender notifications, IServerStage next)
    {
        Notifications = notifications;
        Next = next;
        ObserverCheckTicks = TicksOf(notifications.ObserverCheck);
    }

    public IServerStage Next { get; }

    /// <summary>How notifications leave: the endpoint's message layer.</summary>
    public INotificationSender Notifications { get; }

    public ILogger Logger => Notifications.Logger;

    public long Now => Notifications.Time.GetTimestamp();

    /// <summary>Coap:ObserverCheck in timestamp ticks.</summary>
    public long ObserverCheckTicks { get; }

    /// <summary>A span in timestamp ticks of the endpoint's clock.</summary>
    public long TicksOf(TimeSpan span) => (long)(span.TotalSeconds * Notifications.Time.TimestampFrequency);

    public ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context)
    {
        var request = context.Request;
        if (request.Observe is not { } observe
            || (request.Code != CoapCode.Get && request.Code != CoapCode.Fetch)
            || !context.Metadata.Observable
            || ObserversOf(context) is not { } observers)
        {
            return Next.InvokeAsync(context);
        }

        if (observe != 0)
        {
            if (observe == 1)
            {
                Deregister(new ObservationKey(context.Peer, request.Token), "deregistered");
            }

            return Next.InvokeAsync(context);
        }

        var changes = observers.Changes;
        var pending = Next.InvokeAsync(context);
        return pending.IsCompletedSuccessfully
            ? ValueTask.FromResult(Register(context, observers, changes, pending.Result))
            : RegisterLaterAsync(context, observers, changes, pending);
    }

    private static ResourceObservers? ObserversOf(CoapRequestContext context) => context.Entry.Resource switch
    {
        IObservableResource resource => resource.Observers,
        IObservableRoute route => route.ObserversOf(context),
        _ => null,
    };

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
    public bool Remove(Observer observer, string reason, bool stopRetransmission = false)
    {
        if (observer.Variant.Resource.Detach(observer) is not { } last)
        {
            return false;
        }

        if (stopRetransmission && last.InFlight is { } inFlight)
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

            if (last.NonConfirmable is { } messageId
                && _byNonConfirmable.TryGetValue(new MessageKey(observer.Peer, messageId), out var owner) && owner == observer)
            {
                _byNonConfirmable.Remove(new MessageKey(observer.Peer, messageId));
            }
        }

        observer.Peer.AddObservations(-1);
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            ObserveLog.Removed(Logger, observer.Peer, observer.Token, reason);
        }

        return true;
    }

    private async ValueTask<CoapMessage> RegisterLaterAsync(CoapRequestContext context, ResourceObservers resource, long changes, ValueTask<CoapMessage> pending) =>
        Register(context, resource, changes, await pending.ConfigureAwait(false));

    /// <summary>
    /// A 2.xx answer registers (replacing an entry with the same key, RFC 7641 §4.1); any other answer ends it. A
    /// resource at its <see cref="ResourceObservers.Capacity"/> answers without Observe: the client is not added (§4.1);
    /// a client renewing its own registration (same token, RFC 7641 §3.3.1) keeps its place. A change reported while
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

        bool renewing;
        lock (_gate)
        {
            renewing = _observers.TryGetValue(key, out var current) && current.Variant.Resource == resource;
        }

        if (resource.Add(VariantKey.From(this, context.Request), context, Now, renewing, out var sequence) is not { } observer)
        {
            response.Options.Remove(OptionNumber.Observe);
            return response;
        }

        context.Peer.AddObservations(1);
        Observer? replaced;
        lock (_gate)
        {
            _observers.Remove(key, out replaced);
            _observers.Add(key, observer);
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
