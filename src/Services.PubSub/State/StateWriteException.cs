namespace Services.PubSub.State;

/// <summary>
/// A topic's state file could not be written or removed: the broker leaves the topic as it was and answers 5.00;
/// the message is the diagnostic for the client, the inner exception (logged) the cause.
/// </summary>
internal sealed class StateWriteException(Exception cause)
    : Exception("the broker could not save the change to its state directory, so it did not make it (its log has the cause)", cause);
