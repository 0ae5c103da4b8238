namespace Coap.Engine.Oscore;

/// <summary>
/// A request the server unprotected: the identity of its context (the request's identity for the access policy),
/// the context, and the binding every response to it (notifications included) is protected with.
/// </summary>
internal sealed record OscoreServerRequest(string Identity, OscoreSecurityContext Context, OscoreRequestBinding Binding);
