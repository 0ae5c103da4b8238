namespace Services.Doc;

/// <summary>A DNS response message for the client (its ID already the query's) and the Max-Age to send it with.</summary>
internal readonly record struct DocAnswer(byte[] Body, uint MaxAge);
