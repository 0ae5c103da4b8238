namespace Services.Doc.Dns.Tests;

/// <summary>Answers captured from dnsmasq 2.90 (the zone of Interop.Tests' Dnsmasq, TTL 300), decoded field by field.</summary>
public sealed class DnsmasqGoldenTests
{
    private const string CnameChain = "00008580000100030000000006616C6961733204746573740000010001C00C000500010000012C000C05616C696173047465737400C029000500010000012C000A03777777047465737400C041000100010000012C0004C000020A";
    private const string AaaaWithOpt = "00008580000100010000000103777777047465737400001C0001C00C001C00010000012C001020010DB800000000000000000000001000002904D0000000000000";
    private const string Mx = "000085800001000100000000047465737400000F0001C00C000F00010000012C000D000A046D61696C047465737400";
    private const string Txt = "0000858000010001000000000374787404746573740000100001C00C001000010000012C000C0B68656C6C6F20776F726C64";
    private const string NxDomain = "000081830001000000000000076E6F7468696E6704746573740000010001";

    private static DnsMessage Parse(string hex) => DnsMessage.Parse(Convert.FromHexString(hex));

    private static IEnumerable<string> Lines(DnsMessage message) =>
        message.Records.Select(r => $"{DnsName.ToText(r.Name)} {r.Ttl} {DnsType.NameOf(r.Type)} {r.Data.ToText()}");

    [Fact]
    public void A_cname_chain_follows_pointers_into_earlier_rdata()
    {
        var message = Parse(CnameChain);

        Assert.Equal(0x8580, message.Header.Flags);
        Assert.Equal("alias2.test", Assert.Single(message.Questions).Name);
        Assert.Equal(
            ["alias2.test. 300 CNAME alias.test.", "alias.test. 300 CNAME www.test.", "www.test. 300 A 192.0.2.10"],
            Lines(message));
    }

    [Fact]
    public void Aaaa_with_the_opt_pseudo_record()
    {
        var message = Parse(AaaaWithOpt);

        Assert.Equal(["www.test. 300 AAAA 2001:db8::10"], Lines(message with { Additionals = [] }));
        var opt = Assert.Single(message.Additionals);
        Assert.True(opt.IsOpt);
        Assert.Equal(1232, opt.Class);
        Assert.Equal(0u, opt.Ttl);
        Assert.Empty(Assert.IsType<OptData>(opt.Data).Options);
    }

    [Fact]
    public void Mx_txt_and_nxdomain()
    {
        Assert.Equal(["test. 300 MX 10 mail.test."], Lines(Parse(Mx)));
        Assert.Equal(["txt.test. 300 TXT \"hello world\""], Lines(Parse(Txt)));
        var nx = Parse(NxDomain);
        Assert.Equal(DnsRcode.NxDomain, nx.Header.Rcode);
        Assert.Empty(nx.Records);
    }

    [Theory]
    [InlineData(CnameChain)]
    [InlineData(AaaaWithOpt)]
    [InlineData(Mx)]
    [InlineData(Txt)]
    [InlineData(NxDomain)]
    public void Captured_answers_survive_a_rewrite_and_are_never_longer(string hex)
    {
        var original = Convert.FromHexString(hex);
        var message = DnsMessage.Parse(original);

        var written = message.ToArray();

        Assert.Equal(Lines(message), Lines(DnsMessage.Parse(written)));
        Assert.True(written.Length <= original.Length);
    }
}
