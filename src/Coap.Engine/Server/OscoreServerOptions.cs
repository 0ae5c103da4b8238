namespace Coap.Engine.Server;

/// <summary>The "Coap:Oscore" settings: the server's OSCORE security contexts (RFC 8613).</summary>
public sealed class OscoreServerOptions
{
    /// <summary>
    /// Identity → context folder in aiocoap's format (settings.json, sequence.json). A request verified with a
    /// context has that identity for the access policy. Folders are loaded at start and their state saved at stop.
    /// </summary>
    public Dictionary<string, string> Contexts { get; set; } = new(StringComparer.Ordinal);
}
