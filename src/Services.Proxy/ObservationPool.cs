using System.Runtime.CompilerServices;
using Coap.Engine.Hosting;
using Coap.Engine.Observe;
using Microsoft.Extensions.Logging;

namespace Services.Proxy;

/// <summary>
/// The upstream observations by cache key (RFC 7641 §5: one registration upstream however many clients observe).
/// When the last client of one leaves, the upstream observation is cancelled; a sweep also cancels those that never
/// got a client.
/// </summary>
internal sealed class ObservationPool : IDisposable
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, PooledObservation> _all = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<ResourceObservers, PooledObservation> _byObservers = new();
    private readonly int _capacity;
    private readonly ILogger _logger;
    private readonly ITimer _sweep;

    public ObservationPool(int capacity, TimeProvider time, ILogger logger)
    {
        _capacity = capacity;
        _logger = logger;
        _sweep = time.CreateTimer(logger, "sweeping the proxy's idle observations", Sweep, SweepPeriod, SweepPeriod);
    }

    /// <summary>An observer list no observation uses: what a deregistration of an unknown key is matched against.</summary>
    public ResourceObservers Inert { get; } = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _all.Count;
            }
        }
    }

    /// <summary>
    /// The live observation of a key for a registration, made when there is none (or the one there ended), with the
    /// registration begun on its observers under the pool's lock (<see cref="ResourceObservers.BeginRegistration"/>):
    /// until the engine ends it, whether the observer is added or any stage refuses it, the observation is not
    /// dropped. Null when the pool is full.
    /// </summary>
    public PooledObservation? BeginRegistration(string key, string uri)
    {
        lock (_gate)
        {
            if (!_all.TryGetValue(key, out var observation) || observation.Ended)
            {
                if (observation is null && _all.Count >= _capacity)
                {
                    return null;
                }

                var added = observation = new PooledObservation(key, uri);
                added.Observers.Emptied += _ => OnEmptied(added);
                _byObservers.Add(added.Observers, added);
                _all[key] = added;
            }

            observation.Observers.BeginRegistration();
            return observation;
        }
    }

    /// <summary>The observation whose observers a registration joins (<see cref="Coap.Engine.Server.CoapRequestContext.Registration"/>).</summary>
    public PooledObservation? Of(ResourceObservers observers) => _byObservers.TryGetValue(observers, out var observation) ? observation : null;

    public bool TryGet(string key, out PooledObservation? observation)
    {
        lock (_gate)
        {
            return _all.TryGetValue(key, out observation);
        }
    }

    public void Dispose()
    {
        _sweep.Dispose();
        PooledObservation[] all;
        lock (_gate)
        {
            all = [.. _all.Values];
            _all.Clear();
        }

        foreach (var observation in all)
        {
            observation.Stop();
        }
    }

    /// <summary>On the thread that removed the last observer (maybe the receive thread): the cancellation goes to the pool.</summary>
    private void OnEmptied(PooledObservation observation)
    {
        lock (_gate)
        {
            if (!observation.Observers.IsIdle)
            {
                return;
            }

            if (_all.TryGetValue(observation.Key, out var current) && current == observation)
            {
                _all.Remove(observation.Key);
            }
        }

        Stop(observation, "its last observer left");
    }

    private void Sweep()
    {
        List<PooledObservation>? idle = null;
        lock (_gate)
        {
            foreach (var observation in _all.Values)
            {
                if (!observation.Observers.IsIdle)
                {
                    observation.IdleSweeps = 0;
                }
                else if (++observation.IdleSweeps >= 2 || observation.Ended)
                {
                    (idle ??= []).Add(observation);
                }
            }

            if (idle is not null)
            {
                foreach (var observation in idle)
                {
                    _all.Remove(observation.Key);
                }
            }
        }

        if (idle is not null)
        {
            foreach (var observation in idle)
            {
                Stop(observation, "no observer");
            }
        }
    }

    private void Stop(PooledObservation observation, string reason)
    {
        ProxyLog.ObservationStopped(_logger, observation.Uri, reason);
        _ = Task.Run(() => BackgroundWork.Run(_logger, "cancelling an upstream observation", observation.Stop));
    }
}
