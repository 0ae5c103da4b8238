using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Observe;

/// <summary>An observation is identified by the client endpoint and the token it registered with (RFC 7641 §4.1).</summary>
internal readonly record struct ObservationKey(CoapPeer Peer, CoapToken Token);
