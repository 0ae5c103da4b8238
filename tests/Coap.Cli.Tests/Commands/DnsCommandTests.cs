using System.Net;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Services.Doc.Dns;

namespace Coap.Cli.Tests.Commands;

/// <summary>`coap dns` against a stand-in DoC resource on real UDP that answers from a fixed zone.</summary>
public sealed class DnsCommandTests : IAsyncLifetime
{
    private readonly CoapEndpoint _server;
    private DnsMessage? _lastQuery;
    private CoapMessage? _lastRequest;

    public DnsCommandTests()
    {
        var tree = new ResourceTree();
        tree.Map("dns", new TestResource(Answer), new ResourceMetadata { ResourceTypes = ["core.dns"], ContentFormats = [ContentFormat.DnsMessage] });
        tree.Map("broken", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, new byte[] { 1, 2, 3 }, ContentFormat.DnsMessage))));
        _server = TestEndpoints.StartUdpServer(tree);
    }

    private string Uri(string path = "") => $"coap://127.0.0.1:{_server.LocalEndPoints[0].Port}/{path}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private ValueTask<CoapMessage> Answer(CoapRequestContext context)
    {
        _lastRequest = context.Request;
        var query = DnsMessage.Parse(context.Request.Payload.Span);
        _lastQuery = query;
        var header = query.Header.AsResponse(DnsRcode.NoError);
        var question = query.Questions[0];
        DnsMessage answer = (question.Name, question.Type) switch
        {
            ("www.example", DnsType.A) => new(header, query.Questions,
                [
                    new DnsRecord("www.example", DnsType.Cname, 1, 240, new NameData("web.example")),
                    new DnsRecord("web.example", DnsType.A, 1, 0, new AddressData(IPAddress.Parse("192.0.2.1"))),
                ], [], []),
            ("example", DnsType.Mx) => new(header, query.Questions, [new DnsRecord("example", DnsType.Mx, 1, 0, new MxData(10, "mail.example"))], [], []),
            _ => new(query.Header.AsResponse(DnsRcode.NxDomain), query.Questions, [], [], []),
        };
        var response = CoapMessage.CreateResponse(CoapCode.Content, answer.ToArray(), ContentFormat.DnsMessage);
        response.MaxAge = 60;
        return ValueTask.FromResult(response);
    }

    [Fact]
    public async Task Prints_the_answer_data_like_dig_short_after_a_fetch_553_with_id_0_and_rd()
    {
        var result = await CliRun.RunAsync("dns", Uri(), "www.example");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("web.example.\n192.0.2.1\n", result.Text);
        Assert.Equal(CoapCode.Fetch, _lastRequest!.Code);
        Assert.Equal(ContentFormat.DnsMessage, _lastRequest.ContentFormat);
        Assert.Equal(0, _lastQuery!.Header.Id);
        Assert.True(_lastQuery.Header.RecursionDesired);
        Assert.Equal(DnsType.A, _lastQuery.Questions[0].Type);
    }

    [Fact]
    public async Task The_type_argument_picks_the_record_type()
    {
        var result = await CliRun.RunAsync("dns", Uri("dns"), "example", "mx");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("10 mail.example.\n", result.Text);
    }

    [Fact]
    public async Task Verbose_shows_dig_sections_with_ttls_that_add_max_age()
    {
        var result = await CliRun.RunAsync("dns", Uri(), "www.example", "A", "-v");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("status: NOERROR, id: 0", result.Text, StringComparison.Ordinal);
        Assert.Contains(";; flags: qr rd ra; QUERY: 1, ANSWER: 2", result.Text, StringComparison.Ordinal);
        Assert.Contains(";; Max-Age: 60", result.Text, StringComparison.Ordinal);
        Assert.Contains("www.example.\t300\tIN\tCNAME\tweb.example.", result.Text, StringComparison.Ordinal);
        Assert.Contains("web.example.\t60\tIN\tA\t192.0.2.1", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nxdomain_prints_nothing_and_says_so_on_stderr()
    {
        var result = await CliRun.RunAsync("dns", Uri(), "nowhere.example");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Text);
        Assert.Contains("NXDOMAIN", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BOGUS", "unknown record type")]
    [InlineData("A", "not a domain name", "a..b")]
    public async Task Bad_names_and_types_are_usage_errors(string type, string message, string name = "example")
    {
        var result = await CliRun.RunAsync("dns", Uri(), name, type);

        Assert.Equal(ExitCode.Usage, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_that_is_not_dns_fails()
    {
        var result = await CliRun.RunAsync("dns", Uri("broken"), "example");

        Assert.Equal(ExitCode.NoResponse, result.ExitCode);
        Assert.Contains("not a DNS message", result.Error, StringComparison.Ordinal);
    }
}
