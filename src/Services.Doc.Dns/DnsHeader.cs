namespace Services.Doc.Dns;

/// <summary>The fixed header of a DNS message (RFC 1035 §4.1.1): ID and the flags word; the counts follow the sections.</summary>
public readonly record struct DnsHeader(ushort Id, ushort Flags)
{
    private const ushort QrBit = 0x8000;
    private const ushort AaBit = 0x0400;
    private const ushort TcBit = 0x0200;
    private const ushort RdBit = 0x0100;
    private const ushort RaBit = 0x0080;

    public bool IsResponse => (Flags & QrBit) != 0;

    public int Opcode => (Flags >> 11) & 0xF;

    public bool Authoritative => (Flags & AaBit) != 0;

    public bool Truncated => (Flags & TcBit) != 0;

    public bool RecursionDesired => (Flags & RdBit) != 0;

    public bool RecursionAvailable => (Flags & RaBit) != 0;

    public int Rcode => Flags & 0xF;

    /// <summary>A query header: QR clear, OPCODE 0 (QUERY), RD as asked.</summary>
    public static DnsHeader Query(ushort id, bool recursionDesired = true) => new(id, recursionDesired ? RdBit : (ushort)0);

    /// <summary>This header answered: QR set, RA set, the given RCODE; OPCODE and RD kept (RFC 1035 §4.1.1).</summary>
    public DnsHeader AsResponse(int rcode) => new(Id, (ushort)((Flags & 0x7900) | QrBit | RaBit | (rcode & 0xF)));
}
