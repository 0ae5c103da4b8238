namespace Coap.Engine.Messaging;

/// <summary>A message ID in the scope of one peer (RFC 7252 §4.4).</summary>
internal readonly record struct MessageKey(CoapPeer Peer, ushort MessageId);
