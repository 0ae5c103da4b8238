namespace Coap.Engine.Observe;

/// <summary>
/// Lets the owner of a client observation (<see cref="Client.CoapClient.ObserveAsync(Protocol.CoapMessage, System.Net.IPEndPoint, ObservationRenewal?, CancellationToken)"/>)
/// ask for a re-registration with the same token now (RFC 7641 §3.3.1), as a proxy does when a new client joins an
/// observation it shares so that the client never starts from a stale value (§5). The answer comes as the next
/// notification. Requests made before the re-registration goes out are served by it, and those made before the
/// observation's first answer by that answer.
/// </summary>
public sealed class ObservationRenewal
{
    private TaskCompletionSource _requested = NewSignal();

    /// <summary>Asks for a re-registration (none before the observation is registered: its first answer is fresh).</summary>
    public void Request() => Volatile.Read(ref _requested).TrySetResult();

    /// <summary>Completes when a re-registration is asked for.</summary>
    internal Task Requested => Volatile.Read(ref _requested).Task;

    /// <summary>The re-registration goes out now: later requests ask for another one.</summary>
    internal void Consume() => Volatile.Write(ref _requested, NewSignal());

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
