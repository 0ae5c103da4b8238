using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>Keeps the blocks in a stream; notes the offsets, the commit and the abort.</summary>
internal sealed class RecordingSink : ICoapUploadSink
{
    public MemoryStream Body { get; } = new();

    public List<long> Offsets { get; } = [];

    public bool Committed { get; private set; }

    public bool Aborted { get; private set; }

    /// <summary>Refuses with 4.13 once the body grows past this many bytes.</summary>
    public long? Limit { get; init; }

    public CoapMessage? Refusal { get; set; }

    /// <summary>Thrown by the disposal, as a sink whose temp file's directory is gone may.</summary>
    public Exception? FailDisposalWith { get; init; }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> block, long offset, CancellationToken cancellationToken)
    {
        Assert.Equal(Body.Length, offset);
        Offsets.Add(offset);
        Body.Write(block.Span);
        if (Body.Length > Limit)
        {
            Refusal = CoapMessage.CreateResponse(CoapCode.RequestEntityTooLarge);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<CoapMessage> CommitAsync(CancellationToken cancellationToken)
    {
        Committed = true;
        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
    }

    public ValueTask DisposeAsync()
    {
        if (FailDisposalWith is { } error)
        {
            throw error;
        }

        Aborted = !Committed;
        return ValueTask.CompletedTask;
    }
}
