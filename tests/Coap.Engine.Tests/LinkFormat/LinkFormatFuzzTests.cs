using System.Text;
using Coap.Engine.LinkFormat;
using Coap.Fuzzing;

namespace Coap.Engine.Tests.LinkFormat;

/// <summary>
/// Link-format documents as servers write them, damaged character by character: the parser never throws, says why
/// when it refuses, and what it reads the writer writes in a canonical form (quoted values, a percent-encoded target)
/// that reads back to the same links and writes again to the same text. Queries for /.well-known/core likewise.
/// </summary>
public sealed class LinkFormatFuzzTests
{
    private const int Documents = 30_000;

    private static readonly string[] Seeds =
    [
        "</files/>;rt=\"core.fs\";ct=\"40 0 41 47 50 60 110 42\";title=\"Files\";obs,</time>;rt=\"core.time\";if=\"core.s\";ct=\"0 60\";title=\"Current time\";obs,</dns>;rt=\"core.dns\";ct=553;title=\"DNS over CoAP\",</ps>;rt=\"core.ps.coll\"",
        "</>;title=\"General Info\";ct=0,</time>;if=\"clock\";rt=\"ticks\";title=\"Internal Clock\";ct=0;obs,</async>;ct=0",
        "<coap://[2001:db8::1]:5683/sensors/temp>;rt=\"temperature-c\";if=\"sensor\";anchor=\"/x\";rel=\"describedby\";sz=1234,\n <b%20c>; title*=UTF-8'de'n%c3%a4chstes",
        "</ps/data/1bd0d6d>;rt=\"core.ps.data\";ct=60;obs, </ps/3f9a1c2>;rt=\"core.ps.conf\";title=\"a, b; \\\"c\\\"\"",
    ];

    private static readonly char[] Structure = ['<', '>', ';', ',', '=', '"', '\\', ' ', '\n', '*', '\'', 'é', '\0', '%'];

    [Fact]
    public void Damaged_documents_parse_or_fail_with_a_reason_and_parsed_ones_write_canonically()
    {
        var random = new Random(6690);
        var parsed = 0;
        for (var i = 0; i < Documents; i++)
        {
            var text = Damage(random, random.Pick(Seeds));

            if (!LinkFormatParser.TryParse(text, out var links, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
                continue;
            }

            parsed++;
            var written = LinkFormatWriter.Write(links);
            Assert.True(LinkFormatParser.TryParse(written, out var again, out error), $"{written}: {error}");
            Assert.Equal(written, LinkFormatWriter.Write(again));
            Assert.Equal(links.Select(l => l.Attributes.ToArray()), again.Select(l => l.Attributes.ToArray()));
            foreach (var link in again)
            {
                _ = LinkQueryFilter.Matches(link, [Damage(random, "rt=core.ps.*")]);
            }
        }

        Assert.InRange(parsed, Documents / 10, Documents - 100);
    }

    [Fact]
    public void Damaged_queries_parse_or_not_without_throwing()
    {
        var random = new Random(6690);
        for (var i = 0; i < Documents; i++)
        {
            var query = Damage(random, random.Pick<string>(["rt=core.ps.data", "href=/files*", "ct=40", "title=\"x y\"", "obs", "rt=*"]));

            if (LinkQueryFilter.TryParseQuery(query, out var name, out var value))
            {
                Assert.NotNull(name);
                Assert.NotNull(value);
            }
        }
    }

    /// <summary>
    /// One to three changes: a structural character put in or swapped in, a span removed or repeated, the end cut.
    /// </summary>
    private static string Damage(Random random, string text)
    {
        var builder = new StringBuilder(text);
        for (var changes = random.Next(1, 4); changes > 0; changes--)
        {
            var at = builder.Length == 0 ? 0 : random.Next(builder.Length);
            switch (random.Next(builder.Length == 0 ? 1 : 5))
            {
                case 0:
                    builder.Insert(at, random.Pick(Structure));
                    break;
                case 1:
                    builder[at] = random.Pick(Structure);
                    break;
                case 2:
                    builder.Remove(at, random.Next(1, builder.Length - at + 1));
                    break;
                case 3:
                    builder.Insert(at, builder.ToString(at, Math.Min(12, builder.Length - at)));
                    break;
                default:
                    builder.Length = at;
                    break;
            }
        }

        return builder.ToString();
    }
}
