namespace Coap.Cli.Mount;

/// <summary>What <c>stat</c> shows of a remote entry: kind, size and modification time from the CBOR listing.</summary>
internal readonly record struct EntryAttributes(bool IsDirectory, long Size, DateTimeOffset Modified);
