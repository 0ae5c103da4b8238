using Coap.Testing;
using Coap.Engine.Client;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;

namespace CoapHost.Tests;

/// <summary>
/// Coap:Oscore:Contexts as the host reads it: a context folder per identity, loaded at start (a folder that cannot be
/// used stops start-up naming the key and the folder), its identity judged by the access policy, its exact state
/// saved at stop.
/// </summary>
public sealed class OscoreConfigurationTests : IDisposable
{
    private static readonly byte[] Secret = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    private static readonly byte[] Salt = Convert.FromHexString("9e7ca92223786340");

    private readonly string _directory = Directory.CreateTempSubdirectory("coap-host-oscore-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_configured_context_s_identity_may_do_what_the_policy_allows_it_and_the_state_is_saved_at_stop()
    {
        WriteServerSettings();
        var host = await HostFixture.StartAsync(
            "--Modules:PubSub:StateDirectory=", $"--Coap:Oscore:Contexts:sensor={_directory}", "--Access:TrustLoopback=false", "--Access:Rules:ps:POST=sensor");
        await using (host)
        {
            using var context = new OscoreSecurityContext(new OscoreContextParameters(Secret, [], [0x01], Salt));
            await using var protectedClient = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10), Oscore = context });
            await using var plainClient = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });

            var plain = await plainClient.SendAsync(plainClient.NewRequest(CoapCode.Post, TopicMaps.Named("a"), 606), CoapUri.Parse(host.Uri("ps")));
            var created = await protectedClient.SendAsync(protectedClient.NewRequest(CoapCode.Post, TopicMaps.Named("b"), 606), CoapUri.Parse(host.Uri("ps")));

            Assert.Equal(CoapCode.Unauthorized, plain.Code);
            Assert.Equal(CoapCode.Created, created.Code);
        }

        var state = await File.ReadAllTextAsync(Path.Combine(_directory, "sequence.json"));
        Assert.Contains("\"index\"", state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_cannot_be_used_stops_start_up_naming_the_key_and_the_folder()
    {
        var missing = Path.Combine(_directory, "missing");

        var message = await HostFixture.StartupErrorAsync($"--Coap:Oscore:Contexts:sensor={missing}");

        Assert.Contains("Coap:Oscore:Contexts:sensor", message, StringComparison.Ordinal);
        Assert.Contains(missing, message, StringComparison.Ordinal);
    }

    private void WriteServerSettings()
    {
        var path = Path.Combine(_directory, "settings.json");
        File.WriteAllText(path, """
            {"algorithm": "AES-CCM-16-64-128", "sender-id_hex": "01", "recipient-id_hex": "",
             "secret_hex": "0102030405060708090a0b0c0d0e0f10", "salt_hex": "9e7ca92223786340"}
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
