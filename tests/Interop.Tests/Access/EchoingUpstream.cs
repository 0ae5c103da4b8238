using Services.Doc.Upstream;

namespace Interop.Tests.Access;

/// <summary>The DNS at DoC's seam for the access tests: answers every query at once with itself as a NOERROR response without records.</summary>
internal sealed class EchoingUpstream : IDnsUpstream
{
    public ValueTask<byte[]> QueryAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        var response = query.ToArray();
        response[2] |= 0x80;
        return ValueTask.FromResult(response);
    }
}
