namespace Services.Doc.Caching;

/// <summary>A response body (ID 0, TTLs already relative to Max-Age), when it was stored and its Max-Age then.</summary>
internal sealed record CachedAnswer(byte[] Body, long StoredAt, uint MaxAge);
