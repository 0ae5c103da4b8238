using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// BouncyCastle's client set up for CoAP with certificates: DTLS 1.2 only, the ECDHE-ECDSA suites of
/// <see cref="DtlsCipherSuites.Certificate"/>, a handshake timeout, records that fail to decrypt dropped rather than
/// fatal. The server's chain must verify against <paramref name="serverCas"/> (the handshake ends with a fatal alert
/// otherwise; the host name is not checked); our certificate, if any, is sent when the server asks for one.
/// </summary>
internal sealed class DtlsCertificateClient(BcTlsCrypto crypto, DtlsCertificate? certificate, DtlsTrustAnchors serverCas, TimeSpan timeout)
    : DefaultTlsClient(crypto)
{
    private readonly int _timeoutMillis = (int)timeout.TotalMilliseconds;

    public override bool IgnoreCorruptDtlsRecords => true;

    public override int GetHandshakeTimeoutMillis() => _timeoutMillis;

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.Certificate);

    private sealed class Authentication(DtlsCertificateClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) => client.VerifyServer(serverCertificate.Certificate);

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) =>
            client.ClientCredentials(certificateRequest);
    }

    private void VerifyServer(Certificate chain) => serverCas.Verify(chain);

    private TlsCredentials? ClientCredentials(CertificateRequest request) =>
        certificate is not null && Array.IndexOf(request.CertificateTypes, ClientCertificateType.ecdsa_sign) >= 0
            ? certificate.SignerFor(m_context, crypto)
            : null;
}
