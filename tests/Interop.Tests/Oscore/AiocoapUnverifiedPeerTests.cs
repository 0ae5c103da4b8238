using System.Globalization;
using System.Text;
using Coap.Engine.Exchanges;
using Coap.Engine.Messaging;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Oscore;

/// <summary>
/// aiocoap as a peer whose address is not verified (Coap:LoopbackPeersVerified off, so loopback counts as any
/// address): the amplification guard's 4.01 + Echo (RFC 9175 §2.4) for an Observe registration and for a response
/// larger than three times its request must come inside the protected response, where aiocoap takes the Echo and
/// repeats its request with it; an unprotected challenge would end aiocoap's request with an error.
/// </summary>
public sealed class AiocoapUnverifiedPeerTests : IAsyncLifetime
{
    private static readonly string BigText = string.Concat(Enumerable.Range(0, 60).Select(i => $"line {i,4}\n"));

    private readonly string _directory = Directory.CreateTempSubdirectory("aiocoap-unverified-").FullName;
    private readonly CoapEndpoint _server;
    private readonly TestObservableResource _clock;
    private int _tick;

    public AiocoapUnverifiedPeerTests()
    {
        var tree = new ResourceTree();
        tree.Map("big", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(BigText), ContentFormat.TextPlain))));
        _clock = TestObservableResource.Text(() => "tick " + Volatile.Read(ref _tick));
        tree.Map("clock", _clock, TestObservableResource.Metadata);
        var table = new OscoreContextTable();
        table.Add("c1", new OscoreSecurityContext(new OscoreContextParameters(
            Convert.FromHexString("0102030405060708090a0b0c0d0e0f10"), [0x01], [], Convert.FromHexString("9e7ca92223786340"))));
        _server = TestEndpoints.StartUdpServer(tree, new CoapEndpointOptions { LoopbackPeersVerified = false }, oscore: table);
    }

    private string Uri(string path) => $"coap://127.0.0.1:{_server.LocalEndPoints[0].Port.ToString(CultureInfo.InvariantCulture)}/{path}";

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit 2 calls this (IAsyncLifetime), not IAsyncDisposable.DisposeAsync.</summary>
    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_large_response_and_an_observation_go_through_the_protected_echo_challenge()
    {
        var credentials = Aiocoap.Credentials(_directory, _server.LocalEndPoints[0].Port, AiocoapClientAgainstOurServerTests.ContextFolder(_directory, "client", AiocoapClientAgainstOurServerTests.C1ClientSettings));

        var big = await Aiocoap.ClientAsync("-v", "--credentials", credentials, Uri("big"));
        using var observer = Aiocoap.Start(Path.Combine(AppContext.BaseDirectory, "Oscore", "aiocoap_observe.py"), [credentials, Uri("clock")]);
        var errors = observer.StandardError.ReadToEndAsync();
        var seen = new List<string>();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            seen.Add(await observer.StandardOutput.ReadLineAsync(cancel.Token) ?? "(ended)");
            if (seen[0] != "(ended)")
            {
                Volatile.Write(ref _tick, 1);
                _clock.Observers.NotifyChanged();
                seen.Add(await observer.StandardOutput.ReadLineAsync(cancel.Token) ?? "(ended)");
            }
        }
        finally
        {
            observer.Kill();
            await observer.WaitForExitAsync();
        }

        Assert.True(big.ExitCode == 0, big.StandardError);
        Assert.Equal(BigText.TrimEnd(), big.StandardOutput.TrimEnd());
        Assert.Contains("Answering the server's 4.01 Unauthorized / Echo", big.StandardError, StringComparison.Ordinal);
        Assert.True(seen.SequenceEqual(["2.05 Content tick 0", "2.05 Content tick 1"]), string.Join(" | ", seen) + "\n" + await errors);
    }
}
