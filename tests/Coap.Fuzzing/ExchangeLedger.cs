using System.Buffers.Binary;
using System.Formats.Cbor;
using Coap.Engine.Codec;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// One peer's side of its exchanges, and the checks on what the server sends it: every CON gets an ACK or RST
/// (RFC 7252 §4.2; a malformed one a RST, §4.3, which a NON may get too), a piggybacked answer carries the token of a
/// request sent with its message ID and any other answer a token the peer used (§5.3.2), no datagram is malformed, no
/// answer is 5.00, a diagnostic stays within 128 bytes (§5.5.2), the broker's maps are CBOR and DoC's answers DNS
/// responses, and every answer has the form its Content-Format and options promise. What it remembers is bounded to
/// the last <see cref="Window"/> requests (tokens that registered an observation are kept).
/// </summary>
internal sealed class ExchangeLedger(Findings findings)
{
    private const int Window = 65_536;
    private const int DiagnosticLimit = 128;

    /// <summary>
    /// Two requests with one token this close may both be waiting for an answer: an answer to either is ambiguous.
    /// </summary>
    private const int SharingDistance = 64;

    private readonly Dictionary<ushort, Sent> _awaiting = [];
    private readonly HashSet<ushort> _nonConfirmables = [];
    private readonly Dictionary<ushort, List<Sent>> _confirmables = [];
    private readonly Dictionary<CoapToken, Sent> _byToken = [];
    private readonly Queue<(CoapToken Token, long Index)> _tokenOrder = new();
    private readonly HashSet<CoapToken> _observing = [];
    private Sent? _last;

    public int AwaitingCount => _awaiting.Count;

    /// <summary>Records a datagram the peer sent.</summary>
    public void OnSent(long index, byte[] datagram)
    {
        var sent = new Sent(index, datagram, null);
        _last = sent;
        if (!CoapHeader.TryRead(datagram, out var header) || header.Version != CoapMessage.Version)
        {
            return;
        }

        if (header.Type == CoapMessageType.Confirmable)
        {
            _awaiting[header.MessageId] = sent;
        }
        else if (header.Type == CoapMessageType.NonConfirmable)
        {
            _nonConfirmables.Add(header.MessageId);
        }

        if (CoapMessageReader.TryRead(datagram, out var message) != CoapDecodeError.None || !message!.IsRequest)
        {
            return;
        }

        sent = sent with { Request = message };
        if (_byToken.TryGetValue(message.Token, out var previous) && previous.Index > index - SharingDistance)
        {
            previous.Shared = true;
            sent.Shared = true;
        }

        if (header.Type == CoapMessageType.Confirmable)
        {
            ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_confirmables, header.MessageId, out _);
            list ??= [];
            list.RemoveAll(s => s.Index < index - Window);
            list.Add(sent);
        }

        _byToken[message.Token] = sent;
        _tokenOrder.Enqueue((message.Token, index));
        if (message.Observe == 0)
        {
            _observing.Add(message.Token);
        }

        while (_tokenOrder.Count > Window)
        {
            var (token, at) = _tokenOrder.Dequeue();
            if (_byToken.TryGetValue(token, out var old) && old.Index == at && !_observing.Contains(token))
            {
                _byToken.Remove(token);
            }
        }
    }

    /// <summary>
    /// Checks a datagram the server sent; returns it decoded with the request it answers (null for an empty message
    /// or one the checks refused).
    /// </summary>
    public (CoapMessage? Message, CoapMessage? Request) OnReceived(ReadOnlyMemory<byte> datagram)
    {
        if (CoapMessageReader.TryRead(datagram, out var message) is var error and not CoapDecodeError.None)
        {
            Report(Findings.MalformedResponse, $"{error} in {Convert.ToHexStringLower(datagram.Span)}", _last);
            return (null, null);
        }

        Sent? request;
        if (message!.Type is CoapMessageType.Acknowledgement or CoapMessageType.Reset)
        {
            var known = _awaiting.Remove(message.MessageId) || _confirmables.ContainsKey(message.MessageId)
                || (message.Type == CoapMessageType.Reset && _nonConfirmables.Contains(message.MessageId));
            if (!known)
            {
                Report(Findings.StrayAcknowledgement, message.ToString(), _last);
            }

            if (message.IsEmpty)
            {
                return (message, null);
            }

            if (message.Type == CoapMessageType.Reset || !message.IsResponse)
            {
                Report(Findings.UnexpectedMessage, message.ToString(), _last);
                return (null, null);
            }

            request = _confirmables.GetValueOrDefault(message.MessageId)?.FindLast(s => s.Request!.Token == message.Token);
            if (request is null)
            {
                Report(Findings.TokenMismatch, message.ToString(), _confirmables.GetValueOrDefault(message.MessageId)?.LastOrDefault() ?? _last);
                return (message, null);
            }
        }
        else if (!message.IsResponse)
        {
            Report(Findings.UnexpectedMessage, message.ToString(), _last);
            return (null, null);
        }
        else if (!_byToken.TryGetValue(message.Token, out request))
        {
            Report(Findings.UnknownToken, message.ToString(), _last);
            return (message, null);
        }

        Check(message, request);
        return (message, request.Request);
    }

    /// <summary>Reports every CON still without ACK or RST.</summary>
    public void ReportUnanswered()
    {
        foreach (var (id, sent) in _awaiting.OrderBy(a => a.Value.Index))
        {
            Report(Findings.Unanswered, $"message ID {id}", sent);
        }
    }

    private void Check(CoapMessage response, Sent request)
    {
        var code = response.Code;
        if (code == CoapCode.InternalServerError)
        {
            Report(Findings.InternalServerError, $"{request.Request} → {response} {System.Text.Encoding.UTF8.GetString(response.Payload.Span)}", request);
        }

        if (code.Class >= 4 && response.ContentFormat is null && response.Payload.Length > DiagnosticLimit)
        {
            Report(Findings.LongDiagnostic, $"{request.Request} → {response}", request);
        }

        // What the resource's own format says is checked only when the request is certain: a notification's token may
        // since have been reused by a request to another resource, and a token used twice in a row leaves open which
        // of the two a separate or NON answer is for. A piggybacked answer is tied to its request by the message ID.
        var whole = !response.Options.Contains(OptionNumber.Block2) && !response.Options.Contains(OptionNumber.QBlock2);
        var exact = response.Type == CoapMessageType.Acknowledgement || (response.Observe is null && !request.Shared);
        var path = exact ? request.Request!.GetUriPathSegments() : [];
        var brokerMap = path.Count is 1 or 2 && path[0] == Served.PubSub && path[^1] != "data";
        if (brokerMap && code.IsSuccess && response.ContentFormat == RequestFactory.ConfigurationFormat && whole && !IsMap(response.Payload))
        {
            Report(Findings.UnreadableMap, $"{request.Request} → {response} {Convert.ToHexStringLower(response.Payload.Span)}", request);
        }

        if (path is [Served.Dns] && code == CoapCode.Content && response.ContentFormat == 553 && whole
            && (response.Payload.Length < 12 || (BinaryPrimitives.ReadUInt16BigEndian(response.Payload.Span[2..]) & 0x8000) == 0))
        {
            Report(Findings.UnreadableDnsAnswer, $"{request.Request} → {response} {Convert.ToHexStringLower(response.Payload.Span)}", request);
        }

        // A publication is served with the Content-Format it was published with, its bytes as the publisher sent them:
        // only CBOR is checked on its way in, so a link-format publication may be anything.
        var publication = path is [Served.PubSub, "data", _];
        CheckForm(response, request, exact && whole && !(path is [Served.Files, ..] && path[^1].Length > 0), publication);
    }

    /// <summary>
    /// What any answer must look like whatever the request: a link-format or CBOR body the server made (not a file it
    /// serves as it is, nor a link-format publication; a CBOR publication was checked on its way in) reads as such, a block has the size its SZX says
    /// (the last one no larger), 2.31 carries Block1 (RFC 7959 §2.3), an ETag has 1 to 8 bytes (RFC 7252 §5.10.6).
    /// </summary>
    private void CheckForm(CoapMessage response, Sent request, bool madeWhole, bool publication)
    {
        var code = response.Code;
        var payload = response.Payload;
        if (code.IsSuccess && madeWhole && !publication && response.ContentFormat == 40 && !LinkFormatParser.TryParse(System.Text.Encoding.UTF8.GetString(payload.Span), out _, out var error))
        {
            Report(Findings.UnreadableLinks, $"{request.Request} → {response}: {error}", request);
        }

        if (code.IsSuccess && madeWhole && response.ContentFormat == 60 && !IsOneItem(payload))
        {
            Report(Findings.UnreadableCbor, $"{request.Request} → {response} {Convert.ToHexStringLower(payload.Span)}", request);
        }

        if (response.Options.TryGet(OptionNumber.Block2, out var option) && BlockValue.TryDecode(option.Value.Span, out var block)
            && (block.More ? payload.Length != block.Size : payload.Length > block.Size))
        {
            Report(Findings.MisfitBlock, $"{request.Request} → {response}", request);
        }

        if (code == CoapCode.Continue && !response.Options.Contains(OptionNumber.Block1))
        {
            Report(Findings.ContinueWithoutBlock1, $"{request.Request} → {response}", request);
        }

        foreach (var tag in response.Options.GetAll(OptionNumber.ETag))
        {
            if (tag.Value.Length is 0 or > 8)
            {
                Report(Findings.BadETag, $"{request.Request} → {response}", request);
            }
        }
    }

    private static bool IsOneItem(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new CborReader(payload, CborConformanceMode.Lax);
            reader.SkipValue();
            return reader.BytesRemaining == 0;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsMap(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var reader = new CborReader(payload);
            if (reader.PeekState() != CborReaderState.StartMap)
            {
                return false;
            }

            reader.SkipValue();
            return reader.BytesRemaining == 0;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException)
        {
            return false;
        }
    }

    private void Report(string kind, string detail, Sent? sent) => findings.Add(kind, detail, sent?.Index ?? -1, sent is null ? [] : sent.Bytes);

    private sealed record Sent(long Index, byte[] Bytes, CoapMessage? Request)
    {
        /// <summary>Another request used the same token close by (see <see cref="SharingDistance"/>).</summary>
        public bool Shared { get; set; }
    }
}
