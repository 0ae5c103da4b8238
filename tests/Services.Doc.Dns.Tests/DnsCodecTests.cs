using System.Net;
using System.Text;

namespace Services.Doc.Dns.Tests;

public sealed class DnsCodecTests
{
    internal static DnsMessage SampleResponse() => new(
        new DnsHeader(0x1234, 0x8180),
        [new DnsQuestion("www.example.com", DnsType.A)],
        [
            new DnsRecord("www.example.com", DnsType.Cname, 1, 300, new NameData("web.example.com")),
            new DnsRecord("web.example.com", DnsType.A, 1, 60, new AddressData(IPAddress.Parse("192.0.2.1"))),
        ],
        [
            new DnsRecord("example.com", DnsType.Ns, 1, 3600, new NameData("ns1.example.com")),
            new DnsRecord("example.com", DnsType.Soa, 1, 3600, new SoaData("ns1.example.com", "hostmaster.example.com", 2026112201, 7200, 900, 1209600, 120)),
        ],
        [
            new DnsRecord("ns1.example.com", DnsType.Aaaa, 1, 3600, new AddressData(IPAddress.Parse("2001:db8::53"))),
            new DnsRecord("example.com", DnsType.Mx, 1, 600, new MxData(10, "mail.example.com")),
            new DnsRecord("_coap._udp.example.com", DnsType.Srv, 1, 600, new SrvData(1, 2, 5683, "coap.example.com")),
            new DnsRecord("example.com", DnsType.Txt, 1, 600, new TxtData([Encoding.ASCII.GetBytes("v=spf1 -all"), Encoding.ASCII.GetBytes("say \"hi\"")])),
            new DnsRecord("1.2.0.192.in-addr.arpa", DnsType.Ptr, 1, 600, new NameData("web.example.com")),
            new DnsRecord("example.com", 99, 1, 600, new OpaqueData([1, 2, 3])),
            new DnsRecord("", DnsType.Opt, 1232, 0x00008000, new OptData([new EdnsOption(10, [1, 2, 3, 4, 5, 6, 7, 8])])),
        ]);

    [Fact]
    public void A_query_is_the_rfc_1035_bytes()
    {
        var bytes = DnsMessage.Query(0, "example.com", DnsType.A).ToArray();

        Assert.Equal(
            "0000" + "0100" + "0001" + "0000" + "0000" + "0000" + "076578616D706C6503636F6D00" + "0001" + "0001",
            Convert.ToHexString(bytes));
    }

    [Fact]
    public void An_answer_name_repeating_the_question_is_a_pointer_to_offset_12()
    {
        var message = new DnsMessage(new DnsHeader(7, 0x8180), [new DnsQuestion("example.com", DnsType.A)],
            [new DnsRecord("example.com", DnsType.A, 1, 60, new AddressData(IPAddress.Parse("192.0.2.7")))], [], []);

        var hex = Convert.ToHexString(message.ToArray());

        Assert.Equal(
            "0007" + "8180" + "0001" + "0001" + "0000" + "0000" + "076578616D706C6503636F6D00" + "0001" + "0001" + "C00C" + "0001" + "0001" + "0000003C" + "0004" + "C0000207",
            hex);
    }

    [Fact]
    public void Names_share_suffixes_through_pointers_case_insensitively()
    {
        var message = new DnsMessage(new DnsHeader(0, 0x8180), [new DnsQuestion("Example.COM", DnsType.Mx)],
            [new DnsRecord("example.com", DnsType.Mx, 1, 60, new MxData(5, "mail.example.com"))], [], []);

        var bytes = message.ToArray();

        // question 12..28, answer name pointer at 29, rdata: preference then "mail" + pointer to 12.
        Assert.Equal([0xC0, 0x0C], bytes[29..31]);
        Assert.Equal("046D61696CC00C", Convert.ToHexString(bytes[^7..]));
        Assert.Equal("mail.Example.COM", ((MxData)DnsMessage.Parse(bytes).Answers[0].Data).Exchange);
    }

    [Fact]
    public void Srv_targets_are_written_uncompressed()
    {
        var message = new DnsMessage(new DnsHeader(0, 0x8180), [new DnsQuestion("example.com", DnsType.Srv)],
            [new DnsRecord("example.com", DnsType.Srv, 1, 60, new SrvData(0, 0, 53, "example.com"))], [], []);

        var bytes = message.ToArray();

        Assert.EndsWith("076578616D706C6503636F6D00", Convert.ToHexString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_known_type_round_trips()
    {
        var message = SampleResponse();

        var bytes = message.ToArray();
        var parsed = DnsMessage.Parse(bytes);

        Assert.Equal(bytes, parsed.ToArray());
        Assert.Equal(message.Header, parsed.Header);
        Assert.Equal(message.Questions, parsed.Questions);
        Assert.Equal(
            message.Records.Select(r => (r.Name, r.Type, r.Class, r.Ttl, r.Data.ToText())),
            parsed.Records.Select(r => (r.Name, r.Type, r.Class, r.Ttl, r.Data.ToText())));
        Assert.Equal("\"v=spf1 -all\" \"say \\\"hi\\\"\"", parsed.Additionals[3].Data.ToText());
        Assert.Equal("ns1.example.com. hostmaster.example.com. 2026112201 7200 900 1209600 120", parsed.Authorities[1].Data.ToText());
        Assert.Equal(@"\# 3 010203", parsed.Additionals[5].Data.ToText());
    }

    [Fact]
    public void Header_flags_read_as_rfc_1035_bits()
    {
        var header = new DnsHeader(1, 0x8583);

        Assert.True(header.IsResponse);
        Assert.True(header.Authoritative);
        Assert.True(header.RecursionDesired);
        Assert.True(header.RecursionAvailable);
        Assert.False(header.Truncated);
        Assert.Equal(0, header.Opcode);
        Assert.Equal(DnsRcode.NxDomain, header.Rcode);
        Assert.Equal(0x8084, DnsHeader.Query(1, false).AsResponse(DnsRcode.NotImp).Flags);
        Assert.Equal(0x8180, DnsHeader.Query(1).AsResponse(DnsRcode.NoError).Flags);
    }

    [Fact]
    public void Labels_with_dots_and_binary_octets_are_escaped_and_round_trip()
    {
        var message = DnsMessage.Query(0, @"a\.b.\000x\\.example", DnsType.A);

        var parsed = DnsMessage.Parse(message.ToArray());

        Assert.Equal(@"a\.b.\000x\\.example", parsed.Questions[0].Name);
        Assert.Equal([3, (byte)'a', (byte)'.', (byte)'b'], message.ToArray()[12..16]);
    }

    [Fact]
    public void The_root_name_is_one_zero_octet()
    {
        var bytes = DnsMessage.Query(0, "", DnsType.Ns).ToArray();

        Assert.Equal(17, bytes.Length);
        Assert.Equal("", DnsMessage.Parse(bytes).Questions[0].Name);
    }
}
