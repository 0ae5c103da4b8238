using Coap.Engine.Messaging;

namespace Coap.Engine.Observe;

/// <summary>A CON notification sent: its message ID and the transmission that ends with its ACK, RST or give-up.</summary>
internal readonly record struct ConfirmableNotification(ushort MessageId, Task<TransmissionOutcome> Transmission);
