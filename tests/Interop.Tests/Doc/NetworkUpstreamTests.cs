using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Interop.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Services.Doc;
using Services.Doc.Dns;
using Services.Doc.Upstream;

namespace Interop.Tests.Doc;

/// <summary>The network upstream on its own: retries across servers, the TCP fallback and the in-flight bound, on loopback.</summary>
public sealed class NetworkUpstreamTests : IDisposable
{
    private readonly Socket _silent = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public NetworkUpstreamTests() => _silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    private string Silent => _silent.LocalEndPoint!.ToString()!;

    public void Dispose() => _silent.Dispose();

    /// <summary>What a silent server costs in the tests that wait for one to time out.</summary>
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// For the tests where dnsmasq must answer: long enough for it on a busy machine (over TCP it forks a child for
    /// the connection first), where a short timeout would fail the test, not what it tests.
    /// </summary>
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(2);

    private static NetworkDnsUpstream Upstream(TimeSpan timeout, int maxInFlight, params string[] servers) => new(
        Options.Create(new DocOptions { Upstreams = [.. servers], UpstreamTimeout = timeout, UpstreamAttempts = 1, MaxInFlight = maxInFlight }),
        NullLogger<NetworkDnsUpstream>.Instance);

    [Fact]
    public async Task A_silent_server_is_skipped_for_the_next_one_and_the_answer_keeps_the_client_id()
    {
        using var dnsmasq = await Dnsmasq.StartAsync();
        using var upstream = Upstream(Patient, 256, Silent, dnsmasq.EndPoint.ToString());

        var answer = DnsMessage.Parse(await upstream.QueryAsync(DnsMessage.Query(0x1234, "www.test", DnsType.A).ToArray(), CancellationToken.None));

        Assert.Equal(0x1234, answer.Header.Id);
        Assert.Equal("192.0.2.10", Assert.Single(answer.Answers).Data.ToText());
    }

    [Fact]
    public async Task A_truncated_answer_is_asked_again_over_tcp_and_a_large_edns_buffer_needs_no_tcp()
    {
        using var dnsmasq = await Dnsmasq.StartAsync();
        using var upstream = Upstream(Patient, 256, dnsmasq.EndPoint.ToString());
        var plain = DnsMessage.Query(0, "big.test", DnsType.Txt);
        var edns = plain with { Additionals = [new DnsRecord("", DnsType.Opt, 4096, 0, new OptData([]))] };

        var overTcp = DnsMessage.Parse(await upstream.QueryAsync(plain.ToArray(), CancellationToken.None));
        var overUdp = DnsMessage.Parse(await upstream.QueryAsync(edns.ToArray(), CancellationToken.None));

        Assert.False(overTcp.Header.Truncated);
        Assert.Equal(Dnsmasq.BigTxtRecords, overTcp.Answers.Count);
        Assert.Equal(Dnsmasq.BigTxtRecords, overUdp.Answers.Count);
        Assert.Contains(overUdp.Additionals, r => r.IsOpt);
    }

    [Fact]
    public async Task No_answer_from_any_server_is_an_upstream_exception_after_the_timeouts()
    {
        using var upstream = Upstream(Short, 256, Silent);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<DnsUpstreamException>(() => upstream.QueryAsync(DnsMessage.Query(0, "x.test", DnsType.A).ToArray(), CancellationToken.None).AsTask());

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Queries_beyond_the_in_flight_bound_wait_one_timeout_for_a_slot_and_then_fail()
    {
        using var upstream = Upstream(Short, 1, Silent, Silent);
        var query = DnsMessage.Query(0, "x.test", DnsType.A).ToArray();

        var first = upstream.QueryAsync(query, CancellationToken.None).AsTask();
        var second = upstream.QueryAsync(query, CancellationToken.None).AsTask();

        var both = await Task.WhenAll(Catch(first), Catch(second));
        Assert.Contains(both, message => message.Contains("in flight", StringComparison.Ordinal));
        Assert.Contains(both, message => message.Contains("no upstream", StringComparison.Ordinal));
    }

    private static async Task<string> Catch(Task<byte[]> query)
    {
        var exception = await Assert.ThrowsAsync<DnsUpstreamException>(() => query);
        return exception.Message;
    }
}
