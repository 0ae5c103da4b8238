using System.Runtime.Versioning;

namespace Coap.Testing.Programs;

/// <summary>
/// A throwaway PKI made by <c>openssl</c> in a temporary directory: two P-256 CAs ("Test CA" and "Other CA") and
/// leaf certificates signed by them (SAN localhost and 127.0.0.1), each key mode 600. Deleted on dispose.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The CA certificate (PEM) that signed <see cref="Leaf"/>'s certificates.</summary>
    public string Ca => Path.Combine(Directory, "ca.pem");

    /// <summary>Another CA, which signed <see cref="OtherLeaf"/>'s certificates.</summary>
    public string OtherCa => Path.Combine(Directory, "other-ca.pem");

    /// <summary>Makes the CAs; <see cref="IssueAsync"/> makes leaves.</summary>
    public static async Task<TestCertificates> CreateAsync()
    {
        var certificates = new TestCertificates(System.IO.Directory.CreateTempSubdirectory("coaps-pki-").FullName);
        await File.WriteAllTextAsync(
            Path.Combine(certificates.Directory, "leaf.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        await certificates.MakeCaAsync("ca", "Test CA");
        await certificates.MakeCaAsync("other-ca", "Other CA");
        return certificates;
    }

    /// <summary>The certificate and key files of a leaf named <paramref name="name"/>, subject CN <paramref name="commonName"/>, signed by <paramref name="ca"/> ("ca" or "other-ca").</summary>
    public async Task<(string Certificate, string Key)> IssueAsync(string name, string commonName, string ca = "ca")
    {
        var key = await KeyAsync(name);
        var csr = Path.Combine(Directory, name + ".csr");
        var certificate = Path.Combine(Directory, name + ".pem");
        await OpenSslAsync("req", "-new", "-key", key, "-subj", "/CN=" + commonName, "-out", csr);
        await OpenSslAsync(
            "x509", "-req", "-in", csr, "-CA", Path.Combine(Directory, ca + ".pem"), "-CAkey", Path.Combine(Directory, ca + ".key"),
            "-set_serial", Random.Shared.Next(2, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-days", "30", "-sha256", "-extfile", Path.Combine(Directory, "leaf.ext"), "-out", certificate);
        return (certificate, key);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private async Task MakeCaAsync(string name, string commonName)
    {
        var key = await KeyAsync(name);
        await OpenSslAsync(
            "req", "-x509", "-new", "-key", key, "-sha256", "-days", "30", "-subj", "/CN=" + commonName,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-out", Path.Combine(Directory, name + ".pem"));
    }

    private async Task<string> KeyAsync(string name)
    {
        var key = Path.Combine(Directory, name + ".key");
        await OpenSslAsync("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var result = await Tool.RunAsync(Tool.Find("openssl"), arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {result.StandardError}");
        }
    }
}
