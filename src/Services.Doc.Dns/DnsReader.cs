using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Services.Doc.Dns;

/// <summary>
/// Reads a DNS message front to back (RFC 1035 §4.1). Every read is bounds-checked against the current limit (the
/// message, or the RDATA being read); compression pointers (§4.1.4) must point strictly before the place they were
/// met, which makes loops impossible and bounds the work per name.
/// </summary>
internal ref struct DnsReader(ReadOnlySpan<byte> message)
{
    private readonly ReadOnlySpan<byte> _message = message;
    private int _limit = message.Length;

    public int Position { get; private set; }

    public readonly bool AtEnd => Position == _message.Length;

    public byte ReadByte()
    {
        Require(1, "octet");
        return _message[Position++];
    }

    public ushort ReadUInt16()
    {
        Require(2, "16-bit field");
        var value = BinaryPrimitives.ReadUInt16BigEndian(_message[Position..]);
        Position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        Require(4, "32-bit field");
        var value = BinaryPrimitives.ReadUInt32BigEndian(_message[Position..]);
        Position += 4;
        return value;
    }

    public byte[] ReadBytes(int count)
    {
        Require(count, "data");
        var value = _message.Slice(Position, count).ToArray();
        Position += count;
        return value;
    }

    public string ReadName()
    {
        var name = new StringBuilder();
        var at = Position;
        var lowest = Position;
        var bound = _limit;
        var wireLength = 1;
        var jumped = false;
        while (true)
        {
            if (at >= bound)
            {
                throw new DnsFormatException("truncated name", at);
            }

            var length = _message[at];
            switch (length & 0xC0)
            {
                case 0x00 when length == 0:
                    if (!jumped)
                    {
                        Position = at + 1;
                    }

                    return name.ToString();
                case 0x00:
                    if (at + 1 + length > bound)
                    {
                        throw new DnsFormatException("truncated label", at);
                    }

                    wireLength += length + 1;
                    if (wireLength > DnsName.MaxWireLength)
                    {
                        throw new DnsFormatException($"name longer than {DnsName.MaxWireLength} octets", at);
                    }

                    DnsName.AppendLabel(name, _message.Slice(at + 1, length));
                    at += 1 + length;
                    break;
                case 0xC0:
                    if (at + 2 > bound)
                    {
                        throw new DnsFormatException("truncated compression pointer", at);
                    }

                    var target = ((length & 0x3F) << 8) | _message[at + 1];
                    if (target >= _message.Length)
                    {
                        throw new DnsFormatException($"compression pointer to {target}, beyond the message's end", at);
                    }

                    if (target >= lowest)
                    {
                        throw new DnsFormatException($"compression pointer to {target} does not point backwards (a loop)", at);
                    }

                    if (!jumped)
                    {
                        Position = at + 2;
                        jumped = true;
                    }

                    lowest = target;
                    at = target;
                    bound = _message.Length;
                    break;
                default:
                    throw new DnsFormatException($"reserved label type 0x{length & 0xC0:X2}", at);
            }
        }
    }

    public DnsRecordData ReadData(ushort type, int length)
    {
        Require(length, "RDATA");
        var end = Position + length;
        var outer = _limit;
        _limit = end;
        DnsRecordData data = type switch
        {
            DnsType.A => ReadAddress(4, length),
            DnsType.Aaaa => ReadAddress(16, length),
            DnsType.Cname or DnsType.Ns or DnsType.Ptr => new NameData(ReadName()),
            DnsType.Mx => new MxData(ReadUInt16(), ReadName()),
            DnsType.Srv => new SrvData(ReadUInt16(), ReadUInt16(), ReadUInt16(), ReadName()),
            DnsType.Soa => new SoaData(ReadName(), ReadName(), ReadUInt32(), ReadUInt32(), ReadUInt32(), ReadUInt32(), ReadUInt32()),
            DnsType.Txt => ReadTxt(end),
            DnsType.Opt => ReadOpt(end),
            _ => new OpaqueData(ReadBytes(length)),
        };
        if (Position != end)
        {
            throw new DnsFormatException($"RDATA of type {DnsType.NameOf(type)} leaves {end - Position} of its {length} octets unread", Position);
        }

        _limit = outer;
        return data;
    }

    private AddressData ReadAddress(int size, int length) => length == size
        ? new AddressData(new IPAddress(ReadBytes(size)))
        : throw new DnsFormatException($"address RDATA of {length} octets, expected {size}", Position);

    private TxtData ReadTxt(int end)
    {
        var strings = new List<byte[]>();
        do
        {
            strings.Add(ReadBytes(ReadByte()));
        }
        while (Position < end);
        return new TxtData(strings);
    }

    private OptData ReadOpt(int end)
    {
        var options = new List<EdnsOption>();
        while (Position < end)
        {
            options.Add(new EdnsOption(ReadUInt16(), ReadBytes(ReadUInt16())));
        }

        return new OptData(options);
    }

    private readonly void Require(int count, string what)
    {
        if (count > _limit - Position)
        {
            throw new DnsFormatException($"truncated {what}: {count} octets needed, {_limit - Position} left", Position);
        }
    }
}
