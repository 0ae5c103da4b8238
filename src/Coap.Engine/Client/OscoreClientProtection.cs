using Coap.Engine.Blockwise;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;

namespace Coap.Engine.Client;

/// <summary>
/// The client's side of OSCORE (RFC 8613 §8.1, §8.4): each request protected with a new Partial IV, each response
/// verified against that request. An unprotected answer is accepted only as an error (a server's §8.2 refusal: 4.01
/// security context not found, 4.02, 4.00), never as a success, since anyone on the path could have sent it.
/// </summary>
internal static class OscoreClientProtection
{
    public static CoapMessage Protect(OscoreSecurityContext context, CoapMessage plain, out OscoreRequestBinding binding)
    {
        SplitProxyUri(plain);
        if (context.ProtectRequest(plain, out var protectedRequest, out var made) != OscoreFailure.None)
        {
            throw new CoapException("OSCORE: the security context has no sequence number left, or its state could not be saved.");
        }

        binding = made!;
        return protectedRequest!;
    }

    /// <summary>
    /// A request for a forward proxy names its target in Proxy-Scheme, Uri-Host and Uri-Port, which the proxy reads
    /// (Class U), and Uri-Path and Uri-Query, which are encrypted (RFC 8613 §4.1.3.3): a Proxy-Uri is split so, since
    /// as a Class U option it would carry the path in clear.
    /// </summary>
    private static void SplitProxyUri(CoapMessage plain)
    {
        if (!plain.Options.TryGet(OptionNumber.ProxyUri, out var proxyUri) || !CoapUri.TryParse(proxyUri.GetString(), out var target, out _))
        {
            return;
        }

        plain.Options.Remove(OptionNumber.ProxyUri);
        plain.Options.Remove(OptionNumber.UriHost);
        plain.Options.Remove(OptionNumber.UriPort);
        plain.Options.Remove(OptionNumber.UriPath);
        plain.Options.Remove(OptionNumber.UriQuery);
        plain.Options.Add(CoapOption.FromString(OptionNumber.ProxyScheme, target.Scheme));
        plain.Options.Add(CoapOption.FromString(OptionNumber.UriHost, target.Host.Trim('[', ']')));
        plain.Options.SetUInt(OptionNumber.UriPort, (uint)target.Port);
        foreach (var segment in target.PathSegments)
        {
            plain.Options.Add(CoapOption.FromString(OptionNumber.UriPath, segment));
        }

        foreach (var part in target.QueryParts)
        {
            plain.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, part));
        }
    }

    /// <summary>The most of a protected response that is fetched in Outer blocks before it is verified.</summary>
    public const int MaxOuterBlockwiseBytes = 1024 * 1024;

    /// <summary>
    /// The whole protected response when the server (or a proxy) sent it in Outer Block2 blocks (RFC 8613 §4.1.3.4.2):
    /// the later blocks are asked for with the protected request's options (its OSCORE option included) and no payload,
    /// as RFC 7959 does for any request, and joined before anything is verified. At most
    /// <see cref="MaxOuterBlockwiseBytes"/>, else a <see cref="CoapException"/>. A response without Outer Block2 comes back as it is.
    /// </summary>
    public static Task<CoapMessage> CompleteOuterBlocksAsync(CoapMessage protectedRequest, CoapMessage first, Func<CoapMessage, CancellationToken, Task<CoapMessage>> send, CancellationToken cancellationToken)
    {
        if (!first.Options.Contains(OptionNumber.Oscore) || !first.Options.Contains(OptionNumber.Block2))
        {
            return Task.FromResult(first);
        }

        long received = first.Payload.Length;
        return BlockwiseDownload.CompleteAsync(protectedRequest, first, 1024, async (next, cancel) =>
        {
            var block = await send(next, cancel).ConfigureAwait(false);
            received += block.Payload.Length;
            return received <= MaxOuterBlockwiseBytes
                ? block
                : throw new CoapException($"OSCORE: the protected response comes in Outer blocks of more than {MaxOuterBlockwiseBytes} bytes.");
        }, null, cancellationToken);
    }

    /// <summary>The plain response; throws when a response is neither verified nor an unprotected error.</summary>
    public static CoapMessage Unprotect(OscoreSecurityContext context, CoapMessage response, OscoreRequestBinding binding)
    {
        var result = TryUnprotect(context, response, binding);
        return result.Succeeded
            ? result.Message!
            : throw new CoapException($"OSCORE: the response ({response.Code}) could not be verified: {result.Failure}.");
    }

    /// <summary>As <see cref="Unprotect"/> without throwing; an unprotected error comes back as it is.</summary>
    public static OscoreUnprotectResult TryUnprotect(OscoreSecurityContext context, CoapMessage response, OscoreRequestBinding binding)
    {
        if (!response.Options.Contains(OptionNumber.Oscore))
        {
            return response.Code.IsSuccess
                ? new OscoreUnprotectResult(OscoreFailure.MalformedOption, null, binding, -1)
                : new OscoreUnprotectResult(OscoreFailure.None, response, binding, -1);
        }

        return context.UnprotectResponse(response, binding);
    }
}
