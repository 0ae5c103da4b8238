using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>An upload resource whose sinks record what they were given and whether they were committed or aborted.</summary>
internal sealed class RecordingUploadResource : ICoapUploadResource
{
    public List<RecordingSink> Sinks { get; } = [];

    /// <summary>The request (block 0) that opened each sink.</summary>
    public List<CoapMessage> Starts { get; } = [];

    /// <summary>What the next sinks refuse the upload with at once.</summary>
    public CoapMessage? RefuseWith { get; set; }

    /// <summary>The next sinks' <see cref="RecordingSink.Limit"/>.</summary>
    public long? Limit { get; set; }

    /// <summary>The next sinks' <see cref="RecordingSink.FailDisposalWith"/>.</summary>
    public Exception? FailDisposalWith { get; set; }

    /// <summary>What the resource refuses every upload with before its body (<see cref="ICoapResource.RefuseBeforeBody"/>).</summary>
    public CoapMessage? RefuseBeforeBodyWith { get; set; }

    public CoapMessage? RefuseBeforeBody(CoapRequestContext context) => RefuseBeforeBodyWith;

    public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));

    public ValueTask<ICoapUploadSink> BeginUploadAsync(CoapRequestContext context)
    {
        var sink = new RecordingSink { Limit = Limit, Refusal = RefuseWith, FailDisposalWith = FailDisposalWith };
        Sinks.Add(sink);
        Starts.Add(context.Request);
        return ValueTask.FromResult<ICoapUploadSink>(sink);
    }
}
