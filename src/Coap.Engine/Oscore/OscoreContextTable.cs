using Coap.Engine.Protocol;

namespace Coap.Engine.Oscore;

/// <summary>
/// The server's security contexts, found by the kid (and kid context) of a request's OSCORE option (RFC 8613 §8.2
/// steps 2-3), each with the identity the access policy knows it by (<c>CoapRequestContext.Identity</c>).
/// Filled at start-up, read concurrently afterwards.
/// </summary>
public sealed class OscoreContextTable
{
    private readonly Dictionary<string, List<(string Identity, OscoreSecurityContext Context)>> _byKid = [];

    public void Add(string identity, OscoreSecurityContext context)
    {
        var key = Convert.ToHexString(context.RecipientId);
        if (!_byKid.TryGetValue(key, out var entries))
        {
            _byKid[key] = entries = [];
        }

        if (entries.Exists(e => SameIdContext(e.Context.IdContext, context.IdContext)))
        {
            throw new ArgumentException($"Two OSCORE contexts have the Recipient ID {key} and the same ID Context.", nameof(context));
        }

        entries.Add((identity, context));
    }

    /// <summary>
    /// Unprotects a request carrying the OSCORE option: decodes the option, finds the context, verifies and decrypts.
    /// On failure, <see cref="OscoreFailures.ToErrorResponse"/> gives the unprotected answer, except for
    /// <see cref="OscoreFailure.EchoRequired"/>, answered with the returned context's <c>CreateEchoChallenge</c>.
    /// </summary>
    public OscoreUnprotectResult UnprotectRequest(CoapMessage protectedRequest, out string? identity, out OscoreSecurityContext? context)
    {
        identity = null;
        context = null;
        if (!protectedRequest.Options.TryGet(OptionNumber.Oscore, out var raw) || !OscoreOptionValue.TryDecode(raw.Value, out var option)
            || option.Kid is null || !option.HasPartialIv)
        {
            return OscoreUnprotectResult.Fail(OscoreFailure.MalformedOption);
        }

        if (!TryFind(option.Kid.Value.Span, option.KidContext, out identity, out context))
        {
            return OscoreUnprotectResult.Fail(OscoreFailure.UnknownContext);
        }

        return context!.UnprotectRequest(protectedRequest, option);
    }

    /// <summary>
    /// The context for a kid: with a kid context, the one with that ID Context; without, the one without an ID
    /// Context, or the only one with that kid.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> kid, ReadOnlyMemory<byte>? kidContext, out string? identity, out OscoreSecurityContext? context)
    {
        identity = null;
        context = null;
        if (kid.Length > OscoreAlgorithm.MaxIdLength || !_byKid.TryGetValue(Convert.ToHexString(kid), out var entries))
        {
            return false;
        }

        foreach (var (name, candidate) in entries)
        {
            var matches = kidContext is { } wanted
                ? candidate.IdContext is { } own && wanted.Span.SequenceEqual(own)
                : candidate.IdContext is null || entries.Count == 1;
            if (matches)
            {
                (identity, context) = (name, candidate);
                return true;
            }
        }

        return false;
    }

    private static bool SameIdContext(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
