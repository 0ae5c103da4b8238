using Services.Doc.Dns;
using Services.Doc.Upstream;

namespace Services.Doc.Tests;

/// <summary>A stand-in upstream at the IDnsUpstream seam: answers from a function, counts queries, can fail.</summary>
internal sealed class CountingUpstream(Func<DnsMessage, DnsMessage> answer) : IDnsUpstream
{
    public int Queries { get; private set; }

    public bool Failing { get; set; }

    public List<DnsMessage> Received { get; } = [];

    public ValueTask<byte[]> QueryAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        Queries++;
        var message = DnsMessage.Parse(query.Span);
        Received.Add(message);
        if (Failing)
        {
            throw new DnsUpstreamException("stand-in upstream down");
        }

        return ValueTask.FromResult(answer(message).ToArray());
    }
}
