namespace Services.Doc.Dns;

/// <summary>An entry of the question section (RFC 1035 §4.1.2); the name in presentation form without the final dot.</summary>
public sealed record DnsQuestion(string Name, ushort Type, ushort Class = DnsQuestion.InternetClass)
{
    public const ushort InternetClass = 1;
}
