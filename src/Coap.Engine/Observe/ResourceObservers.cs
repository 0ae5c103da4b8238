using Coap.Engine.Server;

namespace Coap.Engine.Observe;

/// <summary>
/// The observers of one resource (RFC 7641 §4.1) and the one call a resource makes when its state changed,
/// <see cref="NotifyChanged"/>. Obtain it from an <see cref="IObservableResource"/> (or derive from
/// <see cref="ObservableResource"/>); it is safe to call from any thread.
/// </summary>
public sealed partial class ResourceObservers
{
    /// <summary>Observe sequence numbers are 24 bits wide and wrap (RFC 7641 §4.4).</summary>
    internal const int SequenceMask = 0xFFFFFF;

    private readonly Lock _gate = new();
    private readonly Dictionary<VariantKey, ObservationVariant> _variants = [];
    private int _sequence;
    private int _count;
    private int _registering;
    private long _registrations;
    private int _capacity = int.MaxValue;
    private TimeSpan? _observerCheck;

    /// <summary>
    /// How many observers the resource accepts; a registration beyond it is answered without Observe (RFC 7641 §4.1).
    /// Lowering it leaves the current observers; <see cref="Evict"/> ends the newest ones.
    /// </summary>
    public int Capacity
    {
        get => Volatile.Read(ref _capacity);
        set => Volatile.Write(ref _capacity, value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value)));
    }

    /// <summary>
    /// The longest time between confirmable notifications to one observer (RFC 7641 §4.5) for this resource; null uses
    /// Coap:ObserverCheck, which is also the most it can be: a longer one is clamped to it.
    /// </summary>
    public TimeSpan? ObserverCheck
    {
        get
        {
            lock (_gate)
            {
                return _observerCheck;
            }
        }

        set
        {
            lock (_gate)
            {
                _observerCheck = value is { } check && check <= TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
            }
        }
    }

    /// <summary>
    /// Raised when the last observer left (deregistered, reset, not acknowledged, ended by an error) and no
    /// registration is under way, or when the last registration under way ended without adding an observer to an
    /// empty list: an intermediary cancels its own upstream observation then (RFC 7641 §5). A registration under way
    /// (from the resource's observers being looked up to the observer being added or refused) defers it, so that an
    /// observer joining just as the last one leaves does not join a cancelled observation. It may run on the receive
    /// thread: do no I/O in it.
    /// </summary>
    public event Action<ResourceObservers>? Emptied;

    /// <summary>How many observers the resource has now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>The last Observe value used; settable so that tests can start near the 24-bit wrap.</summary>
    internal int SequenceNumber
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }

        set
        {
            lock (_gate)
            {
                _sequence = value & SequenceMask;
            }
        }
    }

    /// <summary>
    /// Adds an observer under the variant its request belongs to and returns it with the Observe value for the
    /// registration's response, which is newer than every notification sent before it; null when the resource is at
    /// its <see cref="Capacity"/> or the endpoint's <paramref name="limit"/>, unless the registration
    /// <paramref name="renews"/> one it replaces.
    /// </summary>
    internal Observer? Add(VariantKey key, CoapRequestContext context, long now, bool renews, int limit, out int sequence)
    {
        lock (_gate)
        {
            sequence = 0;
            if (_count >= Math.Min(_capacity, limit) && !renews)
            {
                return null;
            }

            if (!_variants.TryGetValue(key, out var variant))
            {
                variant = new ObservationVariant(this, key, context);
                _variants.Add(key, variant);
            }

            sequence = NextSequence();
            var registration = ++_registrations;
            var observer = new Observer(context.Peer, context.Request.Token, variant, now)
            {
                Index = variant.Observers.Count,
                Registration = registration,
                RegisteredSequence = sequence,
                Oscore = context.Oscore,

                // Observers registered together would otherwise all get their counted CON on the same change: started
                // at staggered points of the count, they get it on different ones (each still at least once in N).
                NonConfirmableRun = (int)((registration - 1) % key.Stage.ObserverCheckNotifications),
            };
            variant.Observers.Add(observer);
            _count++;
            return observer;
        }
    }

    /// <summary>Takes the observer off the list and returns what it left in flight; null when it was already gone.</summary>
    internal DetachedObserver? Detach(Observer observer)
    {
        DetachedObserver detached;
        lock (_gate)
        {
            if (observer.Removed)
            {
                return null;
            }

            observer.Removed = true;
            var list = observer.Variant.Observers;
            var last = list[^1];
            list[observer.Index] = last;
            last.Index = observer.Index;
            list.RemoveAt(list.Count - 1);
            if (list.Count == 0)
            {
                _variants.Remove(observer.Variant.Key);
            }

            _count--;
            detached = new DetachedObserver(
                observer.InFlight is { IsCompleted: false } ? observer.InFlightMessageId : null,
                observer.HasNonConfirmable ? observer.LastNonConfirmable : null);
            if (_count > 0 || _registering > 0)
            {
                return detached;
            }
        }

        Emptied?.Invoke(this);
        return detached;
    }

    /// <summary>
    /// No observer and no registration under way: what <see cref="Emptied"/> reported, unless a registration began
    /// since. An intermediary that begins registrations under its own lock (<see cref="IObservableRoute.BeginRegistration"/>)
    /// checks it under that lock before it drops the list.
    /// </summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _count == 0 && _registering == 0;
            }
        }
    }

    /// <summary>
    /// A registration is under way: <see cref="Emptied"/> waits for its end, which the engine reports once the observer
    /// is added or the registration refused, at whatever stage. Only an <see cref="IObservableRoute.BeginRegistration"/>
    /// calls it; the engine does for every other registration.
    /// </summary>
    public void BeginRegistration()
    {
        lock (_gate)
        {
            _registering++;
        }
    }

    /// <summary>A registration ended (its observer added or not): <see cref="Emptied"/> when the list is empty and none is under way.</summary>
    internal void EndRegistration()
    {
        lock (_gate)
        {
            if (--_registering > 0 || _count > 0)
            {
                return;
            }
        }

        Emptied?.Invoke(this);
    }

    /// <summary>Callers hold the lock.</summary>
    private int NextSequence() => _sequence = (_sequence + 1) & SequenceMask;
}
