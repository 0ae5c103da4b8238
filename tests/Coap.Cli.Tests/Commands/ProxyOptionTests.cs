using System.Text;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Cli.Tests.Commands;

/// <summary>--proxy: the request goes to the proxy with its target in Proxy-Uri (RFC 7252 §5.7), like coap-client -P.</summary>
public sealed class ProxyOptionTests
{
    [Fact]
    public async Task Get_through_a_proxy_names_the_target_in_Proxy_Uri_and_sends_no_Uri_options()
    {
        var tree = new ResourceTree();
        tree.MapForwardProxy(new TestResource(context => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Describe(context.Request))))));
        await using var gateway = TestEndpoints.StartUdpServer(tree);

        var result = await CliRun.RunAsync("get", "coap://device.example:5700/a/b c?x=1", "--proxy", $"coap://127.0.0.1:{gateway.LocalEndPoints[0].Port}");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("coap://device.example:5700/a/b%20c?x=1 path=0 query=0\n", result.Text);
    }

    [Fact]
    public async Task Observe_through_a_proxy_names_the_target_in_Proxy_Uri()
    {
        var tree = new ResourceTree();
        var resource = new TestObservableResource(context => CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Describe(context.Request))));
        tree.MapForwardProxy(resource, TestObservableResource.Metadata);
        await using var gateway = TestEndpoints.StartUdpServer(tree);

        var result = await CliRun.RunAsync("observe", "coap://[::1]:5800/t", "--count", "1", "-P", $"coap://127.0.0.1:{gateway.LocalEndPoints[0].Port}");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("coap://[::1]:5800/t path=0 query=0", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sub_through_a_proxy_names_the_topic_in_Proxy_Uri()
    {
        var tree = new ResourceTree();
        var resource = new TestObservableResource(context => CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(Describe(context.Request)), ContentFormat.TextPlain));
        tree.MapForwardProxy(resource, TestObservableResource.Metadata);
        await using var gateway = TestEndpoints.StartUdpServer(tree);

        var result = await CliRun.RunAsync("sub", "coap://broker.example/ps/data/1bd0d6d", "--count", "1", "-P", $"coap://127.0.0.1:{gateway.LocalEndPoints[0].Port}");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("coap://broker.example:5683/ps/data/1bd0d6d path=0 query=0\n", result.Text);
    }

    [Theory]
    [InlineData("time", "coap://clock.example:5700/time?format=extended")]
    [InlineData("dns", "coap://doc.example:5683/dns")]
    [InlineData("ls", "coap://files.example:5683/docs/")]
    [InlineData("cat", "coap://files.example:5683/docs/a%20b.txt")]
    [InlineData("term", "coap://term.example:5683/term/")]
    public async Task Time_dns_file_and_term_commands_through_a_proxy_name_their_server_in_Proxy_Uri(string command, string expected)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tree = new ResourceTree();
        tree.MapForwardProxy(new TestResource(context =>
        {
            seen.TrySetResult(Describe(context.Request));
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.NotFound));
        }));
        await using var gateway = TestEndpoints.StartUdpServer(tree);
        string[] args = command switch
        {
            "time" => ["time", "coap://clock.example:5700", "-n", "1"],
            "dns" => ["dns", "coap://doc.example", "example.com"],
            "ls" => ["ls", "coap://files.example/docs/"],
            "term" => ["term", "coap://term.example/term/", "-e", "true"],
            _ => ["cat", "coap://files.example/docs/a%20b.txt"],
        };

        var result = await CliRun.RunAsync([.. args, "-P", $"coap://127.0.0.1:{gateway.LocalEndPoints[0].Port}"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal($"{expected} path=0 query=0", await seen.Task.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    private static string Describe(CoapMessage request)
    {
        var uri = request.Options.TryGet(OptionNumber.ProxyUri, out var option) ? option.GetString() : "none";
        var paths = 0;
        foreach (var _ in request.Options.GetAll(OptionNumber.UriPath))
        {
            paths++;
        }

        var queries = 0;
        foreach (var _ in request.Options.GetAll(OptionNumber.UriQuery))
        {
            queries++;
        }

        return $"{uri} path={paths} query={queries}";
    }
}
