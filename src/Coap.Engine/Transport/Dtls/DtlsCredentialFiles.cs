using Coap.Engine.Server;

namespace Coap.Engine.Transport.Dtls;

/// <summary>Reads the key and certificate files "Coap:Security" names into a server's <see cref="DtlsServerCredentials"/>.</summary>
internal static class DtlsCredentialFiles
{
    /// <summary>The credentials; null when neither a PSK file nor a certificate is configured (no DTLS listener).</summary>
    public static DtlsServerCredentials? Load(CoapSecurityOptions security)
    {
        var psk = string.IsNullOrWhiteSpace(security.PskFile) ? null : PskKeyFile.Load(security.PskFile);
        var certificate = string.IsNullOrWhiteSpace(security.CertificateFile)
            ? null
            : DtlsCertificate.Load(security.CertificateFile, security.PrivateKeyFile!, "Coap:Security:CertificateFile", "Coap:Security:PrivateKeyFile");
        var cas = string.IsNullOrWhiteSpace(security.CaFile) ? null : DtlsTrustAnchors.Load(security.CaFile, "Coap:Security:CaFile");
        return psk is null && certificate is null ? null : new DtlsServerCredentials(psk, certificate, cas);
    }
}
