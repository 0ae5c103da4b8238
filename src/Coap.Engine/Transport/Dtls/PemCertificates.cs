using Coap.Engine.Hosting;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace Coap.Engine.Transport.Dtls;

/// <summary>Reads the CERTIFICATE blocks of a PEM file as DER, in file order.</summary>
internal static class PemCertificates
{
    /// <summary>At most this many certificates in a file: a chain or CA bundle larger than this is a mistake.</summary>
    private const int Max = 256;

    public static byte[][] Read(string path, string name)
    {
        var certificates = new List<byte[]>();
        try
        {
            using var reader = new PemReader(new StringReader(File.ReadAllText(path)));
            for (var pem = reader.ReadObject(); pem is not null; pem = reader.ReadObject())
            {
                if (pem is X509Certificate certificate && certificates.Count < Max)
                {
                    certificates.Add(certificate.GetEncoded());
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or PemException or ArgumentException)
        {
            throw new CoapConfigurationException($"{name} '{path}' cannot be read as PEM certificates: {error.Message}", error);
        }

        return certificates.Count > 0
            ? [.. certificates]
            : throw new CoapConfigurationException($"{name} '{path}' holds no PEM CERTIFICATE block.");
    }
}
