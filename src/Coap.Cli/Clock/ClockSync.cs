using Coap.Cli.Commands;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Clock;

/// <summary>
/// Takes time samples from a server with NON requests and fresh tokens (a retransmission would skew the round trip),
/// asking for the RFC 9581 extended form first, which carries sub-second time, and falling back to tag 1 or text.
/// </summary>
internal sealed class ClockSync
{
    private static readonly string[] Extended = ["format=extended"];

    private readonly CoapClient _client;
    private readonly CoapUri _uri;
    private readonly CoapUri? _proxy;
    private string[] _query = Extended;
    private int _accept = ContentFormat.Cbor;

    /// <param name="proxy">The forward proxy of --proxy, or null to ask the server itself.</param>
    public ClockSync(CoapClient client, CoapUri uri, CoapUri? proxy = null)
    {
        _client = client;
        _uri = uri;
        _proxy = proxy;
    }

    /// <summary>One exchange; a non-2.05 answer comes back as the response so the caller can report it.</summary>
    public async Task<(ClockSample? Sample, CoapMessage Response)> SampleAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var request = _client.NewRequest(CoapCode.Get, default, null);
            request.Type = CoapMessageType.NonConfirmable;
            request.Accept = _accept;
            var sent = DateTimeOffset.UtcNow;
            var response = await RequestSender.SendAsync(_client, request, WithQuery(), _proxy, cancellationToken).ConfigureAwait(false);
            var received = DateTimeOffset.UtcNow;
            if (response.Code == CoapCode.BadRequest && _query.Length > 0)
            {
                _query = [];
                continue;
            }

            if (response.Code == CoapCode.NotAcceptable && _accept != ContentFormat.TextPlain)
            {
                _accept = ContentFormat.TextPlain;
                continue;
            }

            if (response.Code != CoapCode.Content)
            {
                return (null, response);
            }

            return ServerTime.TryRead(response, out var server, out var error)
                ? (new ClockSample(sent, server, received), response)
                : throw new CoapException($"{_uri} did not answer with a time: {error}");
        }
    }

    private CoapUri WithQuery()
    {
        var text = _uri.ToString().Split('?')[0];
        return CoapUri.Parse(_query.Length == 0 ? text : $"{text}?{string.Join('&', _query)}");
    }
}
