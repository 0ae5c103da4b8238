using System.Text.Json;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using static Coap.Engine.Tests.Oscore.Rfc8613Vectors;

namespace Coap.Engine.Tests.Oscore;

/// <summary>Context folders in aiocoap's format: settings.json / secret.json, sequence.json, the lock file.</summary>
public sealed class ContextFolderTests : IDisposable
{
    private const string C1ClientSettings = """
        {
          "algorithm": "AES-CCM-16-64-128",
          "sender-id_hex": "",
          "recipient-id_hex": "01",
          "secret_hex": "0102030405060708090a0b0c0d0e0f10",
          "salt_hex": "9e7ca92223786340"
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("coap-oscore-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_settings_json_folder_derives_the_c1_context_and_writes_aiocoap_s_sequence_json()
    {
        Write("settings.json", C1ClientSettings);

        using (var folder = OscoreContextFolder.Open(_directory, sequenceStep: 10))
        {
            Assert.Equal("f0910ed7295e6ad4b54fc793154302ff", Convert.ToHexStringLower(folder.Context.SenderKey));
            Assert.Equal(OscoreFailure.None, folder.Context.ProtectRequest(CoapMessage.CreateRequest(CoapCode.Get, "/x"), out _, out _));

            var sequence = Sequence();
            Assert.Equal(10, sequence.GetProperty("next-to-send").GetInt64());
            Assert.Equal(0, sequence.GetProperty("received").GetProperty("index").GetInt64());
            Assert.Equal(0UL, sequence.GetProperty("received").GetProperty("bitfield").GetUInt64());
        }

        // A clean shutdown stores the exact next number; the next run goes on from there.
        Assert.Equal(1, Sequence().GetProperty("next-to-send").GetInt64());
        using var reopened = OscoreContextFolder.Open(_directory);
        Assert.Equal(OscoreFailure.None, reopened.Context.ProtectRequest(CoapMessage.CreateRequest(CoapCode.Get, "/x"), out _, out var binding));
        Assert.Equal([0x01], binding!.RequestPartialIv);
        Assert.Empty(Directory.GetFiles(_directory, ".sequence-*"));
    }

    [Fact]
    public void The_secret_may_live_in_secret_json_beside_the_settings_as_aiocoap_s_plugtest_folders_have_it()
    {
        Write("settings.json", """{"algorithm": "AES-CCM-16-64-128", "sender-id_hex": "01", "recipient-id_hex": ""}""", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Write("secret.json", """{"secret_hex": "0102030405060708090a0b0c0d0e0f10", "salt_hex": "9e7ca92223786340"}""");

        using var folder = OscoreContextFolder.Open(_directory);

        Assert.Equal("ffb14e093c94c9cac9471648b4f98710", Convert.ToHexStringLower(folder.Context.SenderKey));
    }

    [Fact]
    public void A_secret_others_may_read_is_refused_with_the_chmod_to_run()
    {
        var path = Write("settings.json", C1ClientSettings, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<OscoreContextFolderException>(() => OscoreContextFolder.Open(_directory));

        Assert.Contains("chmod 600 " + path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"next-to-send": 0, "received": {"index": 0, "bitfield": 0}}""", 0, true)]
    [InlineData("""{"next-to-send": 5000, "received": "unknown"}""", 5000, false)]
    [InlineData("""{"next-to-send": 17, "received": {"index": 3, "bitfield": 5}}""", 17, true)]
    public void Aiocoap_s_sequence_json_is_read(string json, long next, bool windowKnown)
    {
        Write("settings.json", C1ClientSettings);
        Write("sequence.json", json);

        using var folder = OscoreContextFolder.Open(_directory);

        Assert.Equal(next, folder.Context.Snapshot().NextToSend);
        Assert.Equal(windowKnown, folder.Context.ReplayWindowKnown);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"next-to-send": -1, "received": "unknown"}""")]
    [InlineData("""{"next-to-send": 1099511627777, "received": "unknown"}""")]
    [InlineData("""{"next-to-send": "3", "received": "unknown"}""")]
    [InlineData("""{"next-to-send": 3, "received": {"index": 0}}""")]
    [InlineData("""{"next-to-send": 3, "received": {"index": 0, "bitfield": 18446744073709551616}}""")]
    [InlineData("""{"next-to-send": 3, "received": "maybe"}""")]
    [InlineData("{\"next-to-send\": 3")]
    public void A_malformed_sequence_json_is_refused_not_guessed(string json)
    {
        Write("settings.json", C1ClientSettings);
        Write("sequence.json", json);

        var error = Assert.Throws<OscoreContextFolderException>(() => OscoreContextFolder.Open(_directory));

        Assert.Contains("sequence.json", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"sender-id_hex": "", "recipient-id_hex": "01"}""", "secret_hex is missing")]
    [InlineData("""{"secret_hex": "01", "recipient-id_hex": "01"}""", "sender-id_hex is missing")]
    [InlineData("""{"secret_hex": "0g", "sender-id_hex": "", "recipient-id_hex": "01"}""", "secret_hex is not")]
    [InlineData("""{"secret_hex": "01", "sender-id_hex": "01", "recipient-id_hex": "01"}""", "must differ")]
    [InlineData("""{"secret_hex": "01", "sender-id_hex": "0102030405060708", "recipient-id_hex": "01"}""", "at most 7 bytes")]
    [InlineData("""{"secret_hex": "01", "sender-id_hex": "", "recipient-id_hex": "01", "algorithm": "AES-CCM-16-128-128"}""", "not supported")]
    [InlineData("""{"secret_hex": "01", "sender-id_hex": "", "recipient-id_hex": "01", "window": 1000}""", "window must be")]
    [InlineData("""{"secret_hex": "01", "sender-id_hex": "", "recipient-id_hex": "01", "secret_ascii": "x"}""", "also given")]
    [InlineData("[1]", "not a JSON object")]
    public void A_malformed_settings_json_is_refused_with_what_is_wrong(string json, string message)
    {
        Write("settings.json", json);

        var error = Assert.Throws<OscoreContextFolderException>(() => OscoreContextFolder.Open(_directory));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_in_use_cannot_be_opened_twice()
    {
        Write("settings.json", C1ClientSettings);
        using (OscoreContextFolder.Open(_directory))
        {
            var error = Assert.Throws<OscoreContextFolderException>(() => OscoreContextFolder.Open(_directory));
            Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        }

        using var again = OscoreContextFolder.Open(_directory);
        Assert.NotNull(again.Context);
    }

    [Fact]
    public async Task The_lock_is_the_flock_aiocoap_s_filelock_takes()
    {
        Write("settings.json", C1ClientSettings);
        var lockFile = Path.Combine(_directory, "lock");
        var flock = Coap.Testing.Programs.Tool.Find("flock");

        using (OscoreContextFolder.Open(_directory))
        {
            // flock(1) -n tries flock(2) LOCK_EX|LOCK_NB, what Python's filelock does for aiocoap: it must fail.
            Assert.Equal(1, (await Coap.Testing.Programs.Tool.RunAsync(flock, ["-n", "-E", "1", lockFile, "true"])).ExitCode);
        }

        Assert.Equal(0, (await Coap.Testing.Programs.Tool.RunAsync(flock, ["-n", "-E", "1", lockFile, "true"])).ExitCode);
    }

    [Fact]
    public void A_server_folder_stores_unknown_on_the_first_request_and_needs_echo_after_a_crash()
    {
        Write("settings.json", """{"sender-id_hex": "01", "recipient-id_hex": "", "secret_hex": "0102030405060708090a0b0c0d0e0f10", "salt_hex": "9e7ca92223786340"}""");
        Write("sequence.json", """{"next-to-send": 0, "received": {"index": 0, "bitfield": 0}}""");
        using var client = Context(C1Client, 0);
        Assert.Equal(OscoreFailure.None, client.ProtectRequest(CoapMessage.CreateRequest(CoapCode.Get, "/x"), out var request, out _));
        var hex = Encode(request!);

        using var folder = OscoreContextFolder.Open(_directory);
        Assert.Equal(OscoreFailure.None, folder.Context.UnprotectRequest(Decode(hex), MessageVectorTests.Option(hex)).Failure);
        Assert.Equal("unknown", Sequence().GetProperty("received").GetString());

        // A crash now leaves the files as they are: start a second server from a copy of them.
        var crashed = Directory.CreateDirectory(Path.Combine(_directory, "crashed")).FullName;
        foreach (var name in new[] { "settings.json", OscoreSequenceFile.FileName })
        {
            File.Copy(Path.Combine(_directory, name), Path.Combine(crashed, name));
        }

        using var restarted = OscoreContextFolder.Open(crashed);
        Assert.False(restarted.Context.ReplayWindowKnown);
        Assert.Equal(OscoreFailure.EchoRequired, restarted.Context.UnprotectRequest(Decode(hex), MessageVectorTests.Option(hex)).Failure);
    }

    private string Write(string name, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    private JsonElement Sequence() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, OscoreSequenceFile.FileName))).RootElement.Clone();
}
