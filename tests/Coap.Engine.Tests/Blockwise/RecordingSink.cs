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

    /// <summary>When set and not complete, writes wait for it (a slow disk), so a test can act while a block is being written.</summary>
    public Task? Hold { get; set; }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> block, long offset, CancellationToken cancellationToken) =>
        Hold is { IsCompleted: false } hold ? WriteLaterAsync(hold, block, offset) : Write(block, offset);

    private async ValueTask WriteLaterAsync(Task hold, ReadOnlyMemory<byte> block, long offset)
    {
        await hold;
        await Write(block, offset);
    }

    private ValueTask Write(ReadOnlyMemory<byte> block, long offset)
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
