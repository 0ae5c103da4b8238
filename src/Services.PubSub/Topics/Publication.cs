namespace Services.PubSub.Topics;

/// <summary>A topic's latest value and the Content-Format it was published with.</summary>
internal sealed record Publication(byte[] Payload, int? ContentFormat);
