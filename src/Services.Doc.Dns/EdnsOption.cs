namespace Services.Doc.Dns;

/// <summary>One option of an OPT record's RDATA (RFC 6891 §6.1.2): code and opaque data.</summary>
public sealed record EdnsOption(ushort Code, byte[] Data);
