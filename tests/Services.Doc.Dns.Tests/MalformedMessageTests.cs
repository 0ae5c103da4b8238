namespace Services.Doc.Dns.Tests;

public sealed class MalformedMessageTests
{
    private const string Header1Question = "0000" + "0100" + "0001" + "0000" + "0000" + "0000";
    private const string Header1Answer = "0000" + "8180" + "0001" + "0001" + "0000" + "0000";
    private const string Question = "076578616D706C6503636F6D00" + "0001" + "0001";

    public static TheoryData<string, string, string> Battery => new()
    {
        { "empty", "", "header" },
        { "short header", "00000100000100", "header" },
        { "question count without a question", Header1Question, "truncated" },
        { "label running off the end", Header1Question + "076578616D70", "truncated label" },
        { "name without its terminator", Header1Question + "076578616D706C65", "truncated name" },
        { "question without type and class", Header1Question + "076578616D706C6503636F6D00", "truncated" },
        { "pointer to itself", Header1Question + "C00C" + "00010001", "loop" },
        { "pointer forwards", Header1Question + "C00E" + "00010001" + "00", "loop" },
        { "two pointers in a cycle", Header1Answer + "03616263C01C00010001" + "C00C" + "0001" + "0001" + "0000003C" + "0004" + "01020304" + "01" + "61C00C", "loop" },
        { "pointer beyond the end", Header1Question + "C0FF" + "00010001", "beyond the message's end" },
        { "truncated pointer", Header1Question + "C0", "truncated compression pointer" },
        { "reserved label type 01", Header1Question + "4001610000010001", "reserved label type" },
        { "reserved label type 10", Header1Question + "8001610000010001", "reserved label type" },
        { "rdlength beyond the end", Header1Answer + Question + "C00C" + "0001" + "0001" + "0000003C" + "0010" + "01020304", "truncated RDATA" },
        { "A with 3 octets", Header1Answer + Question + "C00C" + "0001" + "0001" + "0000003C" + "0003" + "010203", "expected 4" },
        { "AAAA with 4 octets", Header1Answer + Question + "C00C" + "001C" + "0001" + "0000003C" + "0004" + "01020304", "expected 16" },
        { "MX name past its rdlength", Header1Answer + Question + "C00C" + "000F" + "0001" + "0000003C" + "0004" + "000A" + "0161" + "00", "truncated" },
        { "CNAME shorter than its rdlength", Header1Answer + Question + "C00C" + "0005" + "0001" + "0000003C" + "0004" + "C00C" + "0000", "unread" },
        { "TXT string past its rdlength", Header1Answer + Question + "C00C" + "0010" + "0001" + "0000003C" + "0003" + "05616263", "truncated" },
        { "empty TXT", Header1Answer + Question + "C00C" + "0010" + "0001" + "0000003C" + "0000", "truncated" },
        { "SOA missing its counters", Header1Answer + Question + "C00C" + "0006" + "0001" + "0000003C" + "0008" + "C00CC00C" + "00000001", "truncated" },
        { "OPT option past its rdlength", Header1Answer + Question + "00" + "0029" + "04D0" + "00000000" + "0004" + "000A0008", "truncated" },
        { "record without rdlength", Header1Answer + Question + "C00C" + "0001" + "0001" + "0000003C", "truncated" },
        { "trailing octets", Header1Question + Question + "00", "after the last record" },
    };

    [Theory]
    [MemberData(nameof(Battery))]
    public void Malformed_messages_are_a_format_exception_naming_the_problem(string because, string hex, string expected)
    {
        var exception = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(Convert.FromHexString(hex)));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(because));
    }

    [Fact]
    public void A_name_over_255_octets_on_the_wire_is_refused_when_read()
    {
        // 5 labels of 63 octets: 5 * 64 + 1 = 321 octets.
        var label = "3F" + string.Concat(Enumerable.Repeat("61", 63));
        var hex = Header1Question + string.Concat(Enumerable.Repeat(label, 5)) + "00" + "00010001";

        var exception = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(Convert.FromHexString(hex)));

        Assert.Contains("longer than 255", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_made_long_by_pointers_is_refused_too()
    {
        // Four names, each a 63-octet label plus a pointer to the one before: the fourth expands past 255 octets.
        var label = "3F" + string.Concat(Enumerable.Repeat("61", 63));
        var hex = "0000" + "0100" + "0004" + "0000" + "0000" + "0000"
            + label + "00" + "00010001"
            + label + "C00C" + "00010001"
            + label + "C051" + "00010001"
            + label + "C097" + "00010001";

        var exception = Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(Convert.FromHexString(hex)));

        Assert.Contains("longer than 255", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a..b", "empty label")]
    [InlineData("x\\", "lone backslash")]
    [InlineData("\\999.example", "above")]
    public void Bad_names_are_refused_when_written(string name, string expected)
    {
        var exception = Assert.Throws<DnsFormatException>(() => DnsMessage.Query(0, name, DnsType.A).ToArray());

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_over_63_and_names_over_255_are_refused_when_written()
    {
        Assert.Contains("more than 63", Assert.Throws<DnsFormatException>(() => DnsMessage.Query(0, new string('a', 64) + ".com", DnsType.A).ToArray()).Message, StringComparison.Ordinal);
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));
        Assert.Contains("more than 255", Assert.Throws<DnsFormatException>(() => DnsMessage.Query(0, longName, DnsType.A).ToArray()).Message, StringComparison.Ordinal);
        Assert.Equal(253, DnsMessage.Parse(DnsMessage.Query(0, longName[..253], DnsType.A).ToArray()).Questions[0].Name.Length);
    }

    [Fact]
    public void Try_parse_reports_the_problem_instead_of_throwing()
    {
        Assert.False(DnsMessage.TryParse(Convert.FromHexString(Header1Question + "C00C00010001"), out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Contains("loop", error, StringComparison.Ordinal);
    }
}
