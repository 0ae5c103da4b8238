namespace Services.Doc.Upstream;

/// <summary>The seam to the DNS: one query message in, its response message out.</summary>
internal interface IDnsUpstream
{
    /// <summary>
    /// Sends <paramref name="query"/> upstream and returns the response carrying the query's own ID; throws
    /// <see cref="DnsUpstreamException"/> when no upstream answered in time.
    /// </summary>
    ValueTask<byte[]> QueryAsync(ReadOnlyMemory<byte> query, CancellationToken cancellationToken);
}
