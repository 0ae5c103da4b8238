using Coap.Fuzzing;
using Services.Doc.Upstream;

namespace Fuzz.Tests;

/// <summary>
/// The DNS at DoC's seam: answers at once and always alike (<see cref="DnsAnswers"/>); a "silent" name times out.
/// </summary>
internal sealed class StandInUpstream : IDnsUpstream
{
    public ValueTask<byte[]> QueryAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken) =>
        DnsAnswers.For(query.Span) is { } answer
            ? ValueTask.FromResult(answer)
            : ValueTask.FromException<byte[]>(new DnsUpstreamException("the stand-in upstream does not answer this name"));
}
