namespace Coap.Engine.Observe;

/// <summary>
/// What a removed observer left in flight, read under its resource's lock as it was detached: the CON notification
/// still being retransmitted and the last NON notification's message ID, if any.
/// </summary>
internal readonly record struct DetachedObserver(ushort? InFlight, ushort? NonConfirmable);
