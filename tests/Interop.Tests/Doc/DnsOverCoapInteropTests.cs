using System.Diagnostics;
using System.Globalization;
using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using CoapHost;
using Interop.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Services.Doc.Dns;

namespace Interop.Tests.Doc;

/// <summary>The DoC service in the real host, resolving through a real dnsmasq on loopback.</summary>
public sealed class DnsOverCoapInteropTests : IAsyncLifetime
{
    private Dnsmasq? _dnsmasq;
    private IHost? _host;
    private CoapClient? _client;
    private string _uri = string.Empty;

    public async Task InitializeAsync()
    {
        _dnsmasq = await Dnsmasq.StartAsync();
        _host = CoapHostApplication.Build(
        [
            "--Coap:Address=127.0.0.1", "--Coap:Port=0", $"--Modules:Doc:Upstreams:0={_dnsmasq.EndPoint}",
            "--Modules:Doc:UpstreamTimeout=00:00:00.5", "--Modules:Doc:UpstreamAttempts=2",
        ]);
        await _host.StartAsync();
        _uri = $"coap://127.0.0.1:{_host.Services.GetRequiredService<CoapServer>().LocalEndPoints[0].Port}/dns";
        _client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
    }

    public async Task DisposeAsync()
    {
        await _client!.DisposeAsync();
        await _host!.StopAsync();
        _host.Dispose();
        _dnsmasq!.Dispose();
    }

    private async Task<(CoapMessage Response, DnsMessage Answer)> FetchAsync(string name, ushort type, ushort id = 0)
    {
        var response = await _client!.FetchAsync(_uri, DnsMessage.Query(id, name, type).ToArray(), ContentFormat.DnsMessage);
        Assert.True(response.Code == CoapCode.Content, $"{response.Code}: {System.Text.Encoding.UTF8.GetString(response.Payload.Span)}");
        Assert.Equal(ContentFormat.DnsMessage, response.ContentFormat);
        return (response, DnsMessage.Parse(response.Payload.Span));
    }

    private static void AssertTtlsAddUp(CoapMessage response, DnsMessage answer)
    {
        foreach (var record in answer.Records.Where(r => !r.IsOpt))
        {
            Assert.Equal(Dnsmasq.Ttl, record.Ttl + response.MaxAge!.Value);
        }
    }

    [Fact]
    public async Task A_and_aaaa_answers_come_from_dnsmasq_with_max_age_plus_ttl_the_upstream_ttl()
    {
        var (v4Response, v4) = await FetchAsync("www.test", DnsType.A);
        var (v6Response, v6) = await FetchAsync("www.test", DnsType.Aaaa);

        Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.IsType<AddressData>(Assert.Single(v4.Answers).Data).Address);
        Assert.Equal(IPAddress.Parse("2001:db8::10"), Assert.IsType<AddressData>(Assert.Single(v6.Answers).Data).Address);
        Assert.Equal(Dnsmasq.Ttl, v4Response.MaxAge);
        AssertTtlsAddUp(v4Response, v4);
        AssertTtlsAddUp(v6Response, v6);
    }

    [Fact]
    public async Task Mx_and_txt_answers_decode()
    {
        var (mxResponse, mx) = await FetchAsync("test", DnsType.Mx);
        var (_, txt) = await FetchAsync("txt.test", DnsType.Txt);

        Assert.Equal("10 mail.test.", Assert.Single(mx.Answers).Data.ToText());
        Assert.Equal("\"hello world\"", Assert.Single(txt.Answers).Data.ToText());
        AssertTtlsAddUp(mxResponse, mx);
    }

    [Fact]
    public async Task The_query_id_is_copied_into_the_answer()
    {
        var (_, answer) = await FetchAsync("www.test", DnsType.A, id: 0xBEEF);

        Assert.Equal(0xBEEF, answer.Header.Id);
    }

    [Fact]
    public async Task A_cname_chain_is_followed_by_dnsmasq_and_passed_on_whole()
    {
        var (response, answer) = await FetchAsync("alias2.test", DnsType.A);

        Assert.Equal([DnsType.Cname, DnsType.Cname, DnsType.A], answer.Answers.Select(r => r.Type));
        Assert.Equal("192.0.2.10", answer.Answers[^1].Data.ToText());
        AssertTtlsAddUp(response, answer);
    }

    [Fact]
    public async Task Nxdomain_is_a_normal_2_05()
    {
        var (response, answer) = await FetchAsync("nothing.test", DnsType.A);

        Assert.Equal(DnsRcode.NxDomain, answer.Header.Rcode);
        Assert.NotNull(response.MaxAge);
    }

    [Fact]
    public async Task A_truncated_udp_answer_is_fetched_again_over_tcp()
    {
        var (response, answer) = await FetchAsync("big.test", DnsType.Txt);

        Assert.False(answer.Header.Truncated);
        Assert.Equal(Dnsmasq.BigTxtRecords, answer.Answers.Count);
        Assert.True(response.Payload.Length > 2000, $"{response.Payload.Length} octets");
        AssertTtlsAddUp(response, answer);
    }

    [Fact]
    public async Task Libcoap_fetches_with_553_and_its_output_decodes()
    {
        var query = Path.GetTempFileName();
        var output = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(query, DnsMessage.Query(0x0102, "www.test", DnsType.A).ToArray());

            var result = await LibcoapClient.RunAsync("-m", "fetch", "-t", "553", "-A", "553", "-f", query, "-o", output, _uri);

            Assert.Equal(0, result.ExitCode);
            var answer = DnsMessage.Parse(await File.ReadAllBytesAsync(output));
            Assert.Equal(0x0102, answer.Header.Id);
            Assert.Equal("192.0.2.10", Assert.Single(answer.Answers).Data.ToText());
        }
        finally
        {
            File.Delete(query);
            File.Delete(output);
        }
    }

    [Fact]
    public async Task Coap_dns_prints_short_answers_and_dig_sections_through_the_host()
    {
        var server = _uri.Replace("/dns", string.Empty, StringComparison.Ordinal);
        var coap = Path.Combine(AppContext.BaseDirectory, "coap.dll");

        var short4 = await Tool.RunAsync("dotnet", [coap, "dns", server, "alias2.test"]);
        var mx = await Tool.RunAsync("dotnet", [coap, "dns", server, "test", "MX", "-v"]);

        Assert.Equal(0, short4.ExitCode);
        Assert.Equal("alias.test.\nwww.test.\n192.0.2.10\n", short4.StandardOutput);
        Assert.Equal(0, mx.ExitCode);
        Assert.Contains("status: NOERROR", mx.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"test.\t{Dnsmasq.Ttl}\tIN\tMX\t10 mail.test.", mx.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_upstream_is_servfail_inside_2_05_within_the_timeout()
    {
        var sinceCached = Stopwatch.StartNew();
        await FetchAsync("www.test", DnsType.A);
        _dnsmasq!.Stop();
        var clock = Stopwatch.StartNew();

        var (response, answer) = await FetchAsync("txt.test", DnsType.Txt);

        Assert.Equal(DnsRcode.ServFail, answer.Header.Rcode);
        Assert.Equal(0u, response.MaxAge);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), clock.Elapsed.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        var (cached, _) = await FetchAsync("www.test", DnsType.A);
        // The cached answer has aged by the whole seconds since it was cached (bounded by what this test measured,
        // not by a guess at how slow the machine is).
        Assert.InRange(cached.MaxAge!.Value, Dnsmasq.Ttl - (uint)Math.Ceiling(sinceCached.Elapsed.TotalSeconds), Dnsmasq.Ttl);
    }
}
