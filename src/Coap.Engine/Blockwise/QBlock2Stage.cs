using System.Buffers;
using System.Text;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Serves Q-Block2 (RFC 9177 §4.4): a GET or FETCH with one Q-Block2 option whose M bit is set asks for that block
/// and the following ones, up to MAX_PAYLOADS (<see cref="CoapQBlockOptions.MaxPayloads"/>) of them; a request with
/// Q-Block2 options whose M bits are clear asks for exactly those blocks (missing ones, §4.4), the first MAX_PAYLOADS
/// of them. Every block comes from the stages below as a Block2 request would (so a resource that serves blocks
/// itself, like the file service, reads just that block at its offset), and goes out with Q-Block2 in place of Block2:
/// all but the last as separate NON responses with the request's token, the last as the response to the request.
/// </summary>
/// <remarks>
/// The server keeps no state per transfer: the next set goes when the client asks for it (a request with the M bit
/// for the next block, RFC 9177's "continue"), not unprompted after NON_TIMEOUT, so a client that went away costs
/// nothing. Q-Block2 is refused with 4.02 Bad Option (what a server without Q-Block answers, so clients fall back to
/// RFC 7959) when Q-Block is off, for other methods, with Block2 or Observe in the same request, and over OSCORE (the
/// burst would leave unprotected). A peer whose address is not verified is challenged first (RFC 9175 §2.4, see
/// <c>AmplificationGuard</c>): one small request makes up to MAX_PAYLOADS responses.
/// </remarks>
internal sealed class QBlock2Stage : IServerStage
{
    private readonly IServerStage _next;
    private readonly INotificationSender _sender;
    private readonly bool _enabled;
    private readonly int _maxPayloads;

    public QBlock2Stage(CoapQBlockOptions options, INotificationSender sender, IServerStage next)
    {
        _next = next;
        _sender = sender;
        _enabled = options.Enabled;
        _maxPayloads = options.MaxPayloads;
    }

    public ValueTask<CoapMessage> InvokeAsync(CoapRequestContext context) =>
        !context.Request.Options.Contains(OptionNumber.QBlock2) ? _next.InvokeAsync(context)
        : Refusal(context) is { } refusal ? ValueTask.FromResult(Refuse(refusal))
        : ServeAsync(context);

    /// <summary>
    /// Serves the blocks asked for through the stages below, one derived Block2 request after the other (the same
    /// message with its Block2 option replaced: nothing below keeps a request past its answer), all with one context
    /// whose <see cref="CoapRequestContext.BlockSetState"/> is disposed once the set is served.
    /// </summary>
    private async ValueTask<CoapMessage> ServeAsync(CoapRequestContext context)
    {
        var request = context.Request;
        var blocks = ArrayPool<BlockValue>.Shared.Rent(_maxPayloads);
        CoapRequestContext? derivedContext = null;
        try
        {
            var count = Requested(request, blocks, out var continuing);
            if (count < 0)
            {
                return ReservedBlockSize.Answer(OptionNumber.QBlock2);
            }

            var derived = Derive(request);
            derivedContext = context.ForBlockSet(derived);
            CoapMessage? previous = null;
            for (var i = 0; i < count; i++)
            {
                BlockRequests.SetBlock(derived, OptionNumber.Block2, blocks[i]);
                var response = await _next.InvokeAsync(derivedContext).ConfigureAwait(false);
                if (!response.Code.IsSuccess || !BlockRequests.TryGetBlock(response, OptionNumber.Block2, out var block))
                {
                    // An error (a block beyond the end, a changed resource) ends a continuing set; among listed blocks it
                    // only skips that one, and is the answer when no block could be served.
                    if (previous is null && (continuing || i == count - 1))
                    {
                        return response;
                    }

                    if (continuing)
                    {
                        break;
                    }

                    continue;
                }

                response.Options.Remove(OptionNumber.Block2);
                response.Options.Add(block.ToOption(OptionNumber.QBlock2));
                if (previous is not null)
                {
                    _sender.SendNonConfirmable(context.Peer, previous, request.Token);
                }

                previous = response;
                if (continuing && !block.More)
                {
                    break;
                }
            }

            return previous ?? Refuse("no block requested");
        }
        finally
        {
            derivedContext?.BlockSetState?.Dispose();
            ArrayPool<BlockValue>.Shared.Return(blocks);
        }
    }

    private string? Refusal(CoapRequestContext context)
    {
        var request = context.Request;
        if (!_enabled)
        {
            return "Q-Block is not enabled";
        }

        if (request.Code != CoapCode.Get && request.Code != CoapCode.Fetch)
        {
            return "Q-Block2 is served for GET and FETCH";
        }

        if (request.Options.Contains(OptionNumber.Block2) || request.Options.Contains(OptionNumber.Observe))
        {
            return "Q-Block2 does not go with Block2 or Observe here";
        }

        return context.Oscore is not null ? "Q-Block2 is not served over OSCORE" : null;
    }

    /// <summary>
    /// The blocks asked for, as Block2 values with M clear, into <paramref name="blocks"/> (room for MAX_PAYLOADS); their
    /// count, or -1 when an option does not decode (SZX 7). One option with the M bit asks for that block and the
    /// following ones; listed blocks are taken once each, the first MAX_PAYLOADS of them.
    /// </summary>
    private int Requested(CoapMessage request, BlockValue[] blocks, out bool continuing)
    {
        continuing = false;
        var count = 0;
        foreach (var option in request.Options)
        {
            if (option.Number != OptionNumber.QBlock2)
            {
                continue;
            }

            if (!BlockValue.TryDecode(option.Value.Span, out var value))
            {
                return -1;
            }

            continuing |= value.More;
            var block = new BlockValue(value.Number, false, value.SizeExponent);
            if (count < _maxPayloads && Array.IndexOf(blocks, block, 0, count) < 0)
            {
                blocks[count++] = block;
            }
        }

        if (continuing && count == 1)
        {
            var first = blocks[0];
            count = (int)Math.Min(_maxPayloads, BlockValue.MaxNumber - first.Number + 1);
            for (var i = 1; i < count; i++)
            {
                blocks[i] = new BlockValue(first.Number + i, false, first.SizeExponent);
            }

            return count;
        }

        continuing = false;
        return count;
    }

    /// <summary>The request as a Block2 request: its options without Q-Block2; the caller sets Block2 for each block.</summary>
    private static CoapMessage Derive(CoapMessage request)
    {
        var derived = new CoapMessage(new CoapOptionList(request.Options.Count + 1))
        {
            Type = request.Type,
            Code = request.Code,
            MessageId = request.MessageId,
            Token = request.Token,
            Payload = request.Payload,
        };
        foreach (var option in request.Options)
        {
            if (option.Number != OptionNumber.QBlock2)
            {
                derived.Options.Add(option);
            }
        }

        return derived;
    }

    private static CoapMessage Refuse(string reason) =>
        CoapMessage.CreateResponse(CoapCode.BadOption, Encoding.UTF8.GetBytes(reason));
}
