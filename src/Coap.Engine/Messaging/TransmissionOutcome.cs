using Coap.Engine.Protocol;

namespace Coap.Engine.Messaging;

/// <summary>How a confirmable transmission ended (RFC 7252 §4.2).</summary>
internal enum TransmissionResult
{
    Acknowledged,
    Reset,
    TimedOut,
    Cancelled,
}

/// <summary>The end of a CON transmission and the ACK that ended it, which may carry a piggybacked response.</summary>
internal readonly record struct TransmissionOutcome(TransmissionResult Result, CoapMessage? Acknowledgement);
