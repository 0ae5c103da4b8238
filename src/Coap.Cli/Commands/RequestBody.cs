namespace Coap.Cli.Commands;

/// <summary>A request's payload and its Content-Format (null: no Content-Format option).</summary>
internal readonly record struct RequestBody(ReadOnlyMemory<byte> Payload, int? ContentFormat);
