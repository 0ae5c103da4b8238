using System.Formats.Cbor;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Services.Terminal.Sessions;

namespace Services.Terminal;

/// <summary>The output (GET, observe, FETCH), input (POST) and window size (PUT) of a session.</summary>
internal sealed partial class TerminalResource
{
    /// <summary>
    /// GET: what the scroll-ring holds from its oldest byte (at most 64 KiB). GET with Observe (a registration, and every
    /// notification rendered for it): the session's latest window of new output.
    /// </summary>
    private static CoapMessage GetOutput(CoapRequestContext context, TerminalSession session)
    {
        var chunk = context.Request.Observe is 0 ? session.Window : session.Read(session.Extent.Oldest, IsContinuation(context.Request)) ?? session.Window;
        return Output(chunk);
    }

    /// <summary>A Block2 request past block 0: a later block of a transfer already under way.</summary>
    private static bool IsContinuation(CoapMessage request) =>
        request.Options.TryGet(OptionNumber.Block2, out var option) && BlockValue.TryDecode(option.Value.Span, out var block) && block.Number > 0;

    /// <summary>FETCH with an unsigned integer (ct 60): the output from that offset (at most 64 KiB); 4.04 with the oldest offset held when it is gone.</summary>
    private static CoapMessage FetchOutput(CoapRequestContext context, TerminalSession session)
    {
        var request = context.Request;
        if (request.ContentFormat != ContentFormat.Cbor)
        {
            return Diagnostic(CoapCode.UnsupportedContentFormat, "FETCH takes an offset as a CBOR unsigned integer (Content-Format 60)");
        }

        if (!TryReadOffset(request.Payload, out var offset))
        {
            return Diagnostic(CoapCode.BadRequest, "the body must be one CBOR unsigned integer: the output offset");
        }

        var (oldest, end) = session.Extent;
        if (offset > end)
        {
            return Diagnostic(CoapCode.BadRequest, $"offset {offset} lies past the end of the output ({end})");
        }

        return session.Read(offset, IsContinuation(request)) is { } chunk ? Output(chunk) : WithOffset(CoapCode.NotFound, oldest);
    }

    /// <summary>
    /// POST: raw bytes (ct 42, 0 or none) are typed as they come; a pair "offset, bytes" (ct 60 as an array, ct 63 as
    /// a sequence) skips the bytes already received, so a re-sent keystroke is typed once. 2.04 carries the next input
    /// offset; a full queue is 5.03 with Max-Age; an offset past the input received is 4.09 with the next offset.
    /// </summary>
    private static CoapMessage PostInput(CoapRequestContext context, TerminalSession session)
    {
        var request = context.Request;
        long? offset = null;
        ReadOnlyMemory<byte> bytes = request.Payload;
        if (request.ContentFormat is ContentFormat.Cbor or ContentFormat.CborSeq)
        {
            if (!TryReadInput(request.Payload, request.ContentFormat == ContentFormat.CborSeq, out var at, out var data))
            {
                return Diagnostic(CoapCode.BadRequest, "the body must be the pair offset, bytes: a CBOR array (60) or sequence (63)");
            }

            offset = at;
            bytes = data;
        }

        return session.Type(offset, bytes.Span) switch
        {
            InputOutcome.Accepted => WithOffset(CoapCode.Changed, session.Input.Next),
            InputOutcome.Gap => WithOffset(CoapCode.Conflict, session.Input.Next),
            _ => QueueFull(),
        };
    }

    /// <summary>PUT [rows, cols] (ct 60, each 1-65535): resizes the terminal.</summary>
    private static CoapMessage PutSize(CoapRequestContext context, TerminalSession session)
    {
        var request = context.Request;
        if (request.ContentFormat != ContentFormat.Cbor)
        {
            return Diagnostic(CoapCode.UnsupportedContentFormat, "the size is a CBOR array [rows, cols] (Content-Format 60)");
        }

        if (!TryReadSize(request.Payload, out var rows, out var columns))
        {
            return Diagnostic(CoapCode.BadRequest, "the body must be a CBOR array [rows, cols] of numbers from 1 to 65535");
        }

        try
        {
            session.Resize(rows, columns);
        }
        catch (IOException error)
        {
            return Diagnostic(CoapCode.InternalServerError, error.Message);
        }

        return CoapMessage.CreateResponse(CoapCode.Changed);
    }

    private static CoapMessage Output(OutputChunk chunk) => CoapMessage.CreateResponse(CoapCode.Content, chunk.Encode(), ContentFormat.CborSeq);

    private static CoapMessage QueueFull()
    {
        var full = Diagnostic(CoapCode.ServiceUnavailable, "the input queue is full");
        full.MaxAge = RetryAfterSeconds;
        return full;
    }

    private static bool TryReadOffset(ReadOnlyMemory<byte> payload, out long offset)
    {
        offset = 0;
        try
        {
            var reader = new CborReader(payload);
            var value = reader.ReadUInt64();
            if (reader.BytesRemaining != 0 || value > long.MaxValue)
            {
                return false;
            }

            offset = (long)value;
            return true;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            return false;
        }
    }

    private static bool TryReadInput(ReadOnlyMemory<byte> payload, bool sequence, out long offset, out byte[] bytes)
    {
        offset = 0;
        bytes = [];
        try
        {
            var reader = new CborReader(payload, allowMultipleRootLevelValues: sequence);
            if (!sequence && reader.ReadStartArray() != 2)
            {
                return false;
            }

            var value = reader.ReadUInt64();
            bytes = reader.ReadByteString();
            if (!sequence)
            {
                reader.ReadEndArray();
            }

            if (reader.BytesRemaining != 0 || value > long.MaxValue)
            {
                return false;
            }

            offset = (long)value;
            return true;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            return false;
        }
    }

    private static bool TryReadSize(ReadOnlyMemory<byte> payload, out ushort rows, out ushort columns)
    {
        rows = 0;
        columns = 0;
        try
        {
            var reader = new CborReader(payload);
            if (reader.ReadStartArray() != 2)
            {
                return false;
            }

            var r = reader.ReadUInt64();
            var c = reader.ReadUInt64();
            reader.ReadEndArray();
            if (reader.BytesRemaining != 0 || r is 0 or > ushort.MaxValue || c is 0 or > ushort.MaxValue)
            {
                return false;
            }

            rows = (ushort)r;
            columns = (ushort)c;
            return true;
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException or OverflowException)
        {
            return false;
        }
    }
}
