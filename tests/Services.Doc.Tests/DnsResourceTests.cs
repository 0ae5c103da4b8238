using System.Buffers.Text;
using System.Net;
using System.Text;
using Coap.Engine.Protocol;
using Coap.Testing;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using NSubstitute.Extensions;
using Services.Doc.Dns;
using Services.Doc.Upstream;

namespace Services.Doc.Tests;

public sealed class DnsResourceTests : IAsyncLifetime
{
    private readonly IDnsUpstream _upstream = Substitute.For<IDnsUpstream>();
    private ModuleServer _server;
    private ushort _mid;

    public DnsResourceTests()
    {
        AnswerFromZone();
        _server = Start();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private ModuleServer Start(Dictionary<string, string?>? settings = null) =>
        new(new DocModule(), settings, configureServices: services => services.AddSingleton(_upstream));

    private void AnswerFromZone() =>
        _upstream.Configure().QueryAsync(default, default).ReturnsForAnyArgs(call => ValueTask.FromResult(Answer(DnsMessage.Parse(call.Arg<ReadOnlyMemory<byte>>().Span)).ToArray()));

    private static ushort UdpPayloadSize(ReadOnlyMemory<byte> query) => DnsMessage.Parse(query.Span).Additionals.Single(r => r.IsOpt).Class;

    private static DnsMessage Answer(DnsMessage query)
    {
        var question = query.Questions[0];
        var header = query.Header.AsResponse(DnsRcode.NoError);
        return question.Name switch
        {
            "www.example.com" => new DnsMessage(header, query.Questions,
                [
                    new DnsRecord("www.example.com", DnsType.Cname, 1, 300, new NameData("web.example.com")),
                    new DnsRecord("web.example.com", DnsType.A, 1, 60, new AddressData(IPAddress.Parse("192.0.2.1"))),
                ],
                [new DnsRecord("example.com", DnsType.Ns, 1, 3600, new NameData("ns.example.com"))],
                query.Additionals.Where(r => r.IsOpt).Select(r => r with { Ttl = 0x8000, Class = 1232 }).ToList()),
            "gone.example.com" => new DnsMessage(query.Header.AsResponse(DnsRcode.NxDomain), query.Questions, [],
                [new DnsRecord("example.com", DnsType.Soa, 1, 3600, new SoaData("ns.example.com", "admin.example.com", 1, 2, 3, 4, 120))], []),
            "empty.example.com" => new DnsMessage(header, query.Questions, [], [], []),
            "refused.example.com" => new DnsMessage(query.Header.AsResponse(DnsRcode.Refused), query.Questions, [], [], []),
            _ => new DnsMessage(header, query.Questions, [], [], []),
        };
    }

    private CoapMessage Send(CoapCode method, byte[]? body, int? contentFormat = ContentFormat.DnsMessage, int? accept = null, byte[]? etag = null, string? query = null)
    {
        var request = CoapMessage.CreateRequest(method, "dns");
        request.MessageId = ++_mid;
        request.Token = CoapToken.FromUInt64(_mid, 2);
        request.ContentFormat = contentFormat;
        request.Accept = accept;
        if (etag is not null)
        {
            request.Options.Add(OptionNumber.ETag, etag);
        }

        if (query is not null)
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, query));
        }

        request.Payload = body ?? ReadOnlyMemory<byte>.Empty;
        _server.Peer.Send(request);
        return _server.Peer.Expect();
    }

    private CoapMessage Fetch(string name, ushort id = 0, ushort type = DnsType.A) =>
        Send(CoapCode.Fetch, DnsMessage.Query(id, name, type).ToArray());

    [Fact]
    public void Fetch_answers_2_05_with_the_dns_response_its_id_and_max_age_from_the_smallest_ttl()
    {
        var response = Fetch("www.example.com", id: 0x4242);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(ContentFormat.DnsMessage, response.ContentFormat);
        Assert.Equal(60u, response.MaxAge);
        var answer = DnsMessage.Parse(response.Payload.Span);
        Assert.Equal(0x4242, answer.Header.Id);
        Assert.Equal([240u, 0u], answer.Answers.Select(r => r.Ttl));
        Assert.Equal(3540u, answer.Authorities[0].Ttl);
        Assert.Equal("192.0.2.1", answer.Answers[1].Data.ToText());
        _upstream.ReceivedWithAnyArgs(1).QueryAsync(default, default);
    }

    [Fact]
    public void The_opt_record_is_passed_through_and_its_ttl_field_never_rewritten()
    {
        var query = DnsMessage.Query(0, "www.example.com", DnsType.A) with
        {
            Additionals = [new DnsRecord("", DnsType.Opt, 4096, 0, new OptData([]))],
        };

        var response = Send(CoapCode.Fetch, query.ToArray());

        _upstream.Received(1).QueryAsync(Arg.Is<ReadOnlyMemory<byte>>(sent => UdpPayloadSize(sent) == 4096), Arg.Any<CancellationToken>());
        var opt = Assert.Single(DnsMessage.Parse(response.Payload.Span).Additionals);
        Assert.Equal(0x8000u, opt.Ttl);
        Assert.Equal(60u, response.MaxAge);
    }

    [Fact]
    public void A_cached_answer_is_served_without_asking_upstream_with_the_new_id_and_an_aged_max_age()
    {
        var first = Fetch("www.example.com", id: 1);
        _server.Time.Advance(TimeSpan.FromSeconds(10));

        var second = Fetch("www.example.com", id: 2);

        _upstream.ReceivedWithAnyArgs(1).QueryAsync(default, default);
        Assert.Equal(50u, second.MaxAge);
        Assert.Equal(2, DnsMessage.Parse(second.Payload.Span).Header.Id);
        Assert.Equal(first.Payload.ToArray()[2..], second.Payload.ToArray()[2..]);
        var records = DnsMessage.Parse(second.Payload.Span).Answers;
        Assert.Equal([300u - 10, 60u - 10], records.Select(r => r.Ttl + second.MaxAge!.Value));
    }

    [Fact]
    public void An_expired_answer_is_asked_for_again()
    {
        Fetch("www.example.com");
        _server.Time.Advance(TimeSpan.FromSeconds(60));

        var again = Fetch("www.example.com");

        _upstream.ReceivedWithAnyArgs(2).QueryAsync(default, default);
        Assert.Equal(60u, again.MaxAge);
    }

    [Fact]
    public void A_matching_etag_is_revalidated_with_2_03()
    {
        var first = Fetch("www.example.com");
        Assert.True(first.Options.TryGet(OptionNumber.ETag, out var etag));

        var second = Send(CoapCode.Fetch, DnsMessage.Query(0, "www.example.com", DnsType.A).ToArray(), etag: etag.Value.ToArray());

        Assert.Equal(CoapCode.Valid, second.Code);
        Assert.True(second.Payload.IsEmpty);
        Assert.True(second.Options.TryGet(OptionNumber.ETag, out var echoed));
        Assert.Equal(etag.Value.ToArray(), echoed.Value.ToArray());
        Assert.Equal(60u, second.MaxAge);
        Assert.Equal(CoapCode.Content, Send(CoapCode.Fetch, DnsMessage.Query(0, "www.example.com", DnsType.A).ToArray(), etag: [1, 2, 3]).Code);
    }

    [Fact]
    public void Nxdomain_is_a_2_05_whose_max_age_is_the_soa_minimum()
    {
        var response = Fetch("gone.example.com");

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(120u, response.MaxAge);
        var answer = DnsMessage.Parse(response.Payload.Span);
        Assert.Equal(DnsRcode.NxDomain, answer.Header.Rcode);
        Assert.Equal(3480u, answer.Authorities[0].Ttl);
    }

    [Fact]
    public void A_negative_answer_without_records_gets_the_configured_default()
    {
        Assert.Equal(60u, Fetch("empty.example.com").MaxAge);
    }

    [Fact]
    public async Task The_negative_default_is_configurable()
    {
        await _server.DisposeAsync();
        _server = Start(new() { ["Modules:Doc:NegativeMaxAge"] = "7" });

        Assert.Equal(7u, Fetch("empty.example.com").MaxAge);
    }

    [Fact]
    public void An_error_answer_has_max_age_0_and_is_not_cached()
    {
        Assert.Equal(0u, Fetch("refused.example.com").MaxAge);
        Fetch("refused.example.com");

        _upstream.ReceivedWithAnyArgs(2).QueryAsync(default, default);
    }

    [Fact]
    public void An_upstream_failure_is_servfail_inside_2_05_not_cached()
    {
        _upstream.Configure().QueryAsync(default, default).ThrowsAsyncForAnyArgs(new DnsUpstreamException("stand-in upstream down"));

        var response = Fetch("www.example.com", id: 77);

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(0u, response.MaxAge);
        var answer = DnsMessage.Parse(response.Payload.Span);
        Assert.Equal(DnsRcode.ServFail, answer.Header.Rcode);
        Assert.Equal(77, answer.Header.Id);
        Assert.True(answer.Header.IsResponse);
        Assert.Equal("www.example.com", answer.Questions[0].Name);
        AnswerFromZone();
        Assert.Equal(DnsRcode.NoError, DnsMessage.Parse(Fetch("www.example.com").Payload.Span).Header.Rcode);
    }

    [Fact]
    public void An_opcode_other_than_query_is_notimp_inside_2_05_without_asking_upstream()
    {
        var status = new DnsMessage(new DnsHeader(9, 2 << 11), [], [], [], []);

        var response = Send(CoapCode.Fetch, status.ToArray());

        Assert.Equal(CoapCode.Content, response.Code);
        var answer = DnsMessage.Parse(response.Payload.Span);
        Assert.Equal(DnsRcode.NotImp, answer.Header.Rcode);
        Assert.Equal(2, answer.Header.Opcode);
        Assert.Equal(0u, response.MaxAge);
        _upstream.DidNotReceiveWithAnyArgs().QueryAsync(default, default);
    }

    [Fact]
    public void Post_and_get_with_base64url_are_answered_as_fetch()
    {
        var query = DnsMessage.Query(0, "www.example.com", DnsType.A).ToArray();

        var post = Send(CoapCode.Post, query);
        var get = Send(CoapCode.Get, null, contentFormat: null, query: "dns=" + Base64Url.EncodeToString(query));

        Assert.Equal(CoapCode.Content, post.Code);
        Assert.Equal(CoapCode.Content, get.Code);
        Assert.Equal(post.Payload.ToArray(), get.Payload.ToArray());
    }

    [Fact]
    public async Task Post_and_get_can_be_switched_off()
    {
        await _server.DisposeAsync();
        _server = Start(new() { ["Modules:Doc:AllowPost"] = "false", ["Modules:Doc:AllowGet"] = "false" });
        var query = DnsMessage.Query(0, "www.example.com", DnsType.A).ToArray();

        Assert.Equal(CoapCode.MethodNotAllowed, Send(CoapCode.Post, query).Code);
        Assert.Equal(CoapCode.MethodNotAllowed, Send(CoapCode.Get, null, contentFormat: null, query: "dns=" + Base64Url.EncodeToString(query)).Code);
        Assert.Equal(CoapCode.Content, Send(CoapCode.Fetch, query).Code);
    }

    [Theory]
    [InlineData(ContentFormat.OctetStream)]
    [InlineData(null)]
    public void A_body_that_is_not_553_is_4_15(int? contentFormat)
    {
        Assert.Equal(CoapCode.UnsupportedContentFormat, Send(CoapCode.Fetch, DnsMessage.Query(0, "a", DnsType.A).ToArray(), contentFormat).Code);
        _upstream.DidNotReceiveWithAnyArgs().QueryAsync(default, default);
    }

    [Fact]
    public void An_accept_other_than_553_is_4_06()
    {
        Assert.Equal(CoapCode.NotAcceptable, Send(CoapCode.Fetch, DnsMessage.Query(0, "a", DnsType.A).ToArray(), accept: ContentFormat.Json).Code);
        Assert.Equal(CoapCode.Content, Send(CoapCode.Fetch, DnsMessage.Query(0, "a", DnsType.A).ToArray(), accept: ContentFormat.DnsMessage).Code);
    }

    [Theory]
    [InlineData(null, "?dns=")]
    [InlineData("dns=***", "base64url")]
    public void A_get_without_a_usable_dns_parameter_is_4_00(string? query, string diagnostic)
    {
        var response = Send(CoapCode.Get, null, contentFormat: null, query: query);

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Contains(diagnostic, Encoding.UTF8.GetString(response.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unparsable_query_is_4_00_with_the_reason()
    {
        var response = Send(CoapCode.Fetch, Convert.FromHexString("000001000001000000000000C00C00010001"));

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Contains("loop", Encoding.UTF8.GetString(response.Payload.Span), StringComparison.Ordinal);
        _upstream.DidNotReceiveWithAnyArgs().QueryAsync(default, default);
    }

    [Fact]
    public void A_response_sent_as_a_query_is_4_00()
    {
        var response = Send(CoapCode.Fetch, new DnsMessage(new DnsHeader(0, 0x8180), [], [], [], []).ToArray());

        Assert.Equal(CoapCode.BadRequest, response.Code);
    }

    [Fact]
    public void Discovery_lists_the_resource_with_core_dns_and_553()
    {
        var request = CoapMessage.CreateRequest(CoapCode.Get, ".well-known/core");
        request.MessageId = ++_mid;
        _server.Peer.Send(request);

        var links = Encoding.UTF8.GetString(_server.Peer.Expect().Payload.Span);

        Assert.Contains("</dns>", links, StringComparison.Ordinal);
        Assert.Contains("rt=\"core.dns\"", links, StringComparison.Ordinal);
        Assert.Contains("ct=553", links, StringComparison.Ordinal);
    }
}
