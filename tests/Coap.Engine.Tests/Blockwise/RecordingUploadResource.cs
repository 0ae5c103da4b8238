using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>An upload resource whose sinks record what they were given and whether they were committed or aborted.</summary>
internal sealed class RecordingUploadResource : ICoapUploadResource
{
    public List<RecordingSink> Sinks { get; } = [];

    public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));

    public ValueTask<ICoapUploadSink> BeginUploadAsync(CoapRequestContext context)
    {
        var sink = new RecordingSink();
        Sinks.Add(sink);
        return ValueTask.FromResult<ICoapUploadSink>(sink);
    }
}
