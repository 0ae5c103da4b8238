using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;

namespace Coap.Engine.Exchanges;

/// <summary>
/// Keeps the diagnostic payload of an error response brief (RFC 7252 §5.5.2): at most <see cref="MaxLength"/> bytes
/// and never more than one block of the size the exchange negotiated, cut at a UTF-8 character boundary. A handler
/// that quotes the peer's data in its diagnostic can then neither amplify a request nor build a reply too large for
/// one datagram (which would be dropped and leave the CON unanswered).
/// </summary>
internal static class DiagnosticPayload
{
    public const int MaxLength = 128;

    /// <summary>Cuts the payload of a 4.xx/5.xx response without Content-Format (a diagnostic) to its limit.</summary>
    public static void Cap(CoapMessage response, CoapMessage request, int maxBlockSize)
    {
        if (response.Code.Class < 4 || response.Options.Contains(OptionNumber.ContentFormat))
        {
            return;
        }

        var limit = Math.Min(MaxLength, maxBlockSize);
        if (BlockRequests.TryGetBlock(request, OptionNumber.Block2, out var asked))
        {
            limit = Math.Min(limit, asked.Size);
        }

        var payload = response.Payload.Span;
        if (payload.Length <= limit)
        {
            return;
        }

        var cut = limit;
        while (cut > 0 && (payload[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        response.Payload = response.Payload[..cut];
    }
}
