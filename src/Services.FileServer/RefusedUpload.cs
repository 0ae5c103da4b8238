using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;

namespace Services.FileServer;

/// <summary>An upload refused before its first byte: the engine answers block 0 with <see cref="Refusal"/>.</summary>
internal sealed class RefusedUpload(CoapMessage refusal) : ICoapUploadSink
{
    public CoapMessage? Refusal { get; } = refusal;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> block, long offset, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<CoapMessage> CommitAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Refusal!);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
