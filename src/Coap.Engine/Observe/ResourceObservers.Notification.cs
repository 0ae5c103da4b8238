using System.Buffers;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Observe;

/// <summary>
/// Rendering and fan-out (RFC 7641 §4.2, §4.5): one render per change and variant, then one message per observer,
/// encoded into a pooled buffer; only confirmable notifications allocate (their retransmission state). An observer
/// registered through OSCORE gets the notification protected for it alone, with a Partial IV of the server's own
/// (RFC 8613 §4.1.3.5, C.8).
/// </summary>
public sealed partial class ResourceObservers
{
    private bool _rendering;
    private bool _pending;
    private bool _pendingConfirmable;
    private long _changes;

    /// <summary>How many times <see cref="NotifyChanged"/> was called: a registration compares it before and after its render.</summary>
    internal long Changes
    {
        get
        {
            lock (_gate)
            {
                return _changes;
            }
        }
    }

    /// <summary>
    /// The resource's state changed: render the new representation once per distinct request variant (through the
    /// stages after Observe, so block-wise applies) and send it to every observer with a newer Observe number
    /// (RFC 7641 §4.2). Notifications are non-confirmable unless <paramref name="confirmable"/> is set, except that
    /// each observer gets a confirmable one at least every <c>Coap:ObserverCheck</c> and at least once in
    /// <c>Coap:ObserverCheckNotifications</c> notifications (§4.5); one never acknowledged ends it. Calls that arrive while
    /// a render is under way are folded into one more render of the latest state. A rendered error (not 2.xx) ends
    /// every observation of that variant (§3.2).
    /// </summary>
    public void NotifyChanged(bool confirmable = false)
    {
        lock (_gate)
        {
            _changes++;
            if (_variants.Count == 0)
            {
                return;
            }

            if (_rendering)
            {
                _pending = true;
                _pendingConfirmable |= confirmable;
                return;
            }

            _rendering = true;
        }

        _ = RenderAllAsync(confirmable);
    }

    private async Task RenderAllAsync(bool confirmable)
    {
        while (true)
        {
            ObservationVariant[] variants;
            int count;
            int sequence;
            lock (_gate)
            {
                sequence = NextSequence();
                count = _variants.Count;
                variants = ArrayPool<ObservationVariant>.Shared.Rent(count);
                _variants.Values.CopyTo(variants, 0);
            }

            try
            {
                for (var i = 0; i < count; i++)
                {
                    var response = await RenderAsync(variants[i]).ConfigureAwait(false);
                    try
                    {
                        FanOut(variants[i], response, sequence, confirmable);
                    }
                    catch (Exception error)
                    {
                        // A transport that fails (the endpoint stopping) must not stall later changes.
                        ObserveLog.FanOutFailed(variants[i].Stage.Logger, error, variants[i].Context.Request.GetUriPath());
                    }
                }
            }
            finally
            {
                ArrayPool<ObservationVariant>.Shared.Return(variants, clearArray: true);
            }

            lock (_gate)
            {
                if (!_pending)
                {
                    _rendering = false;
                    return;
                }

                _pending = false;
                confirmable = _pendingConfirmable;
                _pendingConfirmable = false;
            }
        }
    }

    private static async ValueTask<CoapMessage> RenderAsync(ObservationVariant variant)
    {
        try
        {
            return await variant.Stage.Next.InvokeAsync(variant.Context).ConfigureAwait(false)
                ?? CoapMessage.CreateResponse(CoapCode.InternalServerError);
        }
        catch (Exception error)
        {
            ObserveLog.RenderFailed(variant.Stage.Logger, error, variant.Context.Request.GetUriPath());
            return CoapMessage.CreateResponse(CoapCode.InternalServerError);
        }
    }

    private void FanOut(ObservationVariant variant, CoapMessage response, int sequence, bool confirmable)
    {
        var stage = variant.Stage;
        var sender = stage.Notifications;
        var success = response.Code.IsSuccess;
        if (success)
        {
            response.Observe = sequence;
        }
        else
        {
            response.Options.Remove(OptionNumber.Observe);
        }

        var notification = new EncodedNotification(response);
        var now = stage.Now;
        List<Observer>? ended = null;
        List<(Observer Observer, Task<TransmissionOutcome> Transmission)>? tracked = null;
        lock (_gate)
        {
            var check = _observerCheck is { } interval ? Math.Min(stage.TicksOf(interval), stage.ObserverCheckTicks) : stage.ObserverCheckTicks;
            var nonConfirmableRun = stage.ObserverCheckNotifications - 1;
            foreach (var observer in variant.Observers)
            {
                if (observer.RegisteredSequence >= 0)
                {
                    if (NotificationOrder.IsNewer(observer.RegisteredSequence, sequence))
                    {
                        continue;
                    }

                    observer.RegisteredSequence = -1;
                }

                var own = observer.Oscore is { } oscore
                    ? new EncodedNotification(CoapServerPipeline.Protect(oscore, response, ownPartialIv: true))
                    : notification;

                if (!confirmable
                    && observer.InFlight is not { IsCompleted: false }
                    && now - observer.LastConfirmableAt < check
                    && observer.NonConfirmableRun < nonConfirmableRun)
                {
                    stage.RememberNonConfirmable(observer, sender.SendNonConfirmable(observer.Peer, own, observer.Token));
                    observer.NonConfirmableRun++;
                }
                else if (observer.InFlight is { IsCompleted: false }
                    && sender.TryReplaceConfirmable(observer.Peer, observer.InFlightMessageId, own, observer.Token) is { } replacement)
                {
                    observer.InFlightMessageId = replacement;
                    observer.NonConfirmableRun = 0;
                }
                else
                {
                    var sent = sender.SendConfirmable(observer.Peer, own, observer.Token);
                    observer.InFlight = sent.Transmission;
                    observer.InFlightMessageId = sent.MessageId;
                    observer.LastConfirmableAt = now;
                    observer.NonConfirmableRun = 0;
                    (tracked ??= []).Add((observer, sent.Transmission));
                }

                if (!success)
                {
                    (ended ??= []).Add(observer);
                }
            }
        }

        // Watched only now, outside the lock and the walk over the list: a CON already reset or given up (its RST can
        // arrive on the receive thread before this line) removes its observer at once, which changes that list.
        if (tracked is not null)
        {
            foreach (var (observer, transmission) in tracked)
            {
                _ = stage.TrackAsync(observer, transmission);
            }
        }

        if (ended is not null)
        {
            foreach (var observer in ended)
            {
                stage.Remove(observer, "the resource answered " + notification.Code);
            }
        }
    }

    /// <summary>
    /// Ends the newest observations beyond the first <paramref name="keep"/>, each with a final confirmable
    /// notification of <paramref name="code"/> (an error ends an observation, RFC 7641 §3.2): a pub-sub topic that
    /// lowers its max-subscribers, or is deleted (<paramref name="keep"/> 0). Returns how many ended.
    /// </summary>
    public int Evict(int keep, CoapCode code)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        List<Observer> evicted;
        lock (_gate)
        {
            if (_count <= keep)
            {
                return 0;
            }

            evicted = new List<Observer>(_count);
            foreach (var variant in _variants.Values)
            {
                evicted.AddRange(variant.Observers);
            }

            evicted.Sort(static (a, b) => b.Registration.CompareTo(a.Registration));
            evicted.RemoveRange(_count - keep, keep);
        }

        var ended = 0;
        var final = CoapMessage.CreateResponse(code);
        var notification = new EncodedNotification(final);
        foreach (var observer in evicted)
        {
            var stage = observer.Variant.Stage;
            if (!stage.Remove(observer, "evicted with " + code, stopRetransmission: true))
            {
                // Gone meanwhile (deregistered, or replaced by the same token's new registration): not ours to end.
                continue;
            }

            ended++;
            try
            {
                var own = observer.Oscore is { } oscore ? new EncodedNotification(CoapServerPipeline.Protect(oscore, final, ownPartialIv: true)) : notification;
                stage.Notifications.SendConfirmable(observer.Peer, own, observer.Token);
            }
            catch (Exception error)
            {
                ObserveLog.FanOutFailed(stage.Logger, error, observer.Variant.Context.Request.GetUriPath());
            }
        }

        return ended;
    }

    /// <summary>A CON notification was acknowledged: the next one may be non-confirmable again.</summary>
    internal void ConfirmableEnded(Observer observer, Task<TransmissionOutcome> transmission)
    {
        lock (_gate)
        {
            if (observer.InFlight == transmission)
            {
                observer.InFlight = null;
            }
        }
    }
}
