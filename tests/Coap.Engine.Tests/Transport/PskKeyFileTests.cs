using Coap.Engine.Hosting;
using Coap.Engine.Transport.Dtls;
using Org.BouncyCastle.Tls;

namespace Coap.Engine.Tests.Transport;

/// <summary>The PSK key file: identity=key lines, comments, blank lines; mistakes named by line, keys never quoted.</summary>
public sealed class PskKeyFileTests
{
    [Fact]
    public void Lines_give_identities_and_their_keys_skipping_comments_and_blank_lines()
    {
        var identities = PskKeyFile.Parse(["# devices", "", "  alice = secret  ", "bob=0x0102ff", "eve=a=b#c", "   # indented comment"], "keys.txt");

        Assert.Equal(3, identities.Count);
        Assert.Equal("secret"u8.ToArray(), Psk(identities, "alice"));
        Assert.Equal(new byte[] { 1, 2, 0xFF }, Psk(identities, "bob"));
        Assert.Equal("a=b#c"u8.ToArray(), Psk(identities, "eve"));
        Assert.Null(Psk(identities, "mallory"));
    }

    [Fact]
    public void Each_handshake_gets_a_fresh_copy_of_the_key()
    {
        var identities = PskKeyFile.Parse(["alice=secret"], "keys.txt");
        var first = Psk(identities, "alice")!;
        Array.Clear(first);

        Assert.Equal("secret"u8.ToArray(), Psk(identities, "alice"));
    }

    [Theory]
    [InlineData("alice", "line 1", "expected identity=key")]
    [InlineData("=topsecret", "line 1", "identity is empty")]
    [InlineData("alice=", "line 1", "empty")]
    [InlineData("alice=0xABC", "line 1", "hex")]
    public void A_bad_line_is_named_without_its_key(string line, string where, string what)
    {
        var error = Assert.Throws<CoapConfigurationException>(() => PskKeyFile.Parse([line], "keys.txt"));

        Assert.Contains("Coap:Security:PskFile 'keys.txt'", error.Message, StringComparison.Ordinal);
        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ABC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_listed_twice_or_a_file_without_keys_is_refused()
    {
        var twice = Assert.Throws<CoapConfigurationException>(() => PskKeyFile.Parse(["alice=a", "alice=b"], "keys.txt"));
        var none = Assert.Throws<CoapConfigurationException>(() => PskKeyFile.Parse(["# nothing"], "keys.txt"));

        Assert.Contains("line 2", twice.Message, StringComparison.Ordinal);
        Assert.Contains("no identity=key", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<CoapConfigurationException>(() => PskKeyFile.Load("/nonexistent/keys.txt"));

        Assert.Contains("Coap:Security:PskFile '/nonexistent/keys.txt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clients_file_gives_its_one_identity_and_more_lines_are_refused_naming_the_setting()
    {
        var directory = Directory.CreateTempSubdirectory("psk-client-").FullName;
        try
        {
            var one = Path.Combine(directory, "one.psk");
            var two = Path.Combine(directory, "two.psk");
            File.WriteAllText(one, "# the gateway\ngateway = 0x0102\n");
            File.WriteAllText(two, "a=x\nb=y\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(one, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.SetUnixFileMode(two, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            var credentials = PskKeyFile.LoadCredentials(one, "Modules:Proxy:Upstreams:vault:PskFile");
            var error = Assert.Throws<CoapConfigurationException>(() => PskKeyFile.LoadCredentials(two, "Modules:Proxy:Upstreams:vault:PskFile"));

            Assert.Equal("gateway", credentials.Identity);
            Assert.StartsWith($"Modules:Proxy:Upstreams:vault:PskFile '{two}' must hold one identity=key line", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[]? Psk(PskIdentities identities, string identity) =>
        ((TlsPskIdentityManager)identities).GetPsk(System.Text.Encoding.UTF8.GetBytes(identity));
}
