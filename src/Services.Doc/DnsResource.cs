using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Options;
using Services.Doc.Dns;

namespace Services.Doc;

/// <summary>
/// The DoC resource (RFC 9953 §4): FETCH with an application/dns-message (553) body, and where allowed POST with the
/// same body or GET with "?dns=" in unpadded base64url. A 2.05 carries the DNS response with the query's ID, Max-Age
/// from the TTLs and an ETag of the body (a matching ETag in the request gets 2.03). A query that is not a DNS query
/// gets 4.00 with the reason; the engine answers a wrong Content-Format with 4.15 and an Accept other than 553 with 4.06.
/// </summary>
internal sealed class DnsResource(IOptions<DocOptions> options, DnsResolver resolver) : CoapResource
{
    private readonly DocOptions _options = options.Value;

    public ResourceMetadata Metadata => new()
    {
        ResourceTypes = ["core.dns"],
        ContentFormats = [ContentFormat.DnsMessage],
        AcceptedContentFormats = [ContentFormat.DnsMessage],
        Title = "DNS over CoAP",

        // FETCH and POST carry DNS queries (RFC 9953): they read, and the access policy judges them as reads.
        WriteMethods = [],
    };

    protected override ValueTask<CoapMessage> OnFetch(CoapRequestContext context) => FromBody(context);

    protected override ValueTask<CoapMessage> OnPost(CoapRequestContext context) => _options.AllowPost ? FromBody(context) : base.OnPost(context);

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context)
    {
        if (!_options.AllowGet)
        {
            return base.OnGet(context);
        }

        foreach (var option in context.Request.Options.GetAll(OptionNumber.UriQuery))
        {
            var text = option.GetString();
            if (text.StartsWith("dns=", StringComparison.Ordinal))
            {
                var encoded = text.AsSpan(4);
                var bytes = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
                return Base64Url.DecodeFromChars(encoded, bytes, out _, out var length) == OperationStatus.Done
                    ? ResolveAsync(context, bytes.AsMemory(0, length))
                    : BadRequest("the dns query parameter is not unpadded base64url");
            }
        }

        return BadRequest("GET needs the DNS query in ?dns= (unpadded base64url)");
    }

    private ValueTask<CoapMessage> FromBody(CoapRequestContext context) => context.Request.ContentFormat == ContentFormat.DnsMessage
        ? ResolveAsync(context, context.Request.Payload)
        : ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.UnsupportedContentFormat, Encoding.UTF8.GetBytes("the body must be application/dns-message (Content-Format 553)")));

    private async ValueTask<CoapMessage> ResolveAsync(CoapRequestContext context, ReadOnlyMemory<byte> queryBytes)
    {
        if (!DnsMessage.TryParse(queryBytes.Span, out var query, out var error))
        {
            return await BadRequest($"not a DNS message: {error}").ConfigureAwait(false);
        }

        if (query!.Header.IsResponse)
        {
            return await BadRequest("the DNS message is a response, not a query").ConfigureAwait(false);
        }

        var answer = await resolver.ResolveAsync(queryBytes, query, context.Aborted).ConfigureAwait(false);
        var tag = BodyTag.Of(answer.Body);
        foreach (var etag in context.Request.Options.GetAll(OptionNumber.ETag))
        {
            if (etag.Value.Span.SequenceEqual(tag))
            {
                var valid = CoapMessage.CreateResponse(CoapCode.Valid);
                valid.Options.Add(OptionNumber.ETag, tag);
                valid.MaxAge = answer.MaxAge;
                return valid;
            }
        }

        var response = CoapMessage.CreateResponse(CoapCode.Content, answer.Body, ContentFormat.DnsMessage);
        response.Options.Add(OptionNumber.ETag, tag);
        response.MaxAge = answer.MaxAge;
        return response;
    }

    private static ValueTask<CoapMessage> BadRequest(string diagnostic) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.BadRequest, Encoding.UTF8.GetBytes(diagnostic)));
}
