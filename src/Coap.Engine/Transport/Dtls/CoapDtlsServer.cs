using System.Text;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// The server side of one DTLS 1.2 handshake, with PSK (<see cref="DtlsCipherSuites.Psk"/>) and/or an ECDSA
/// certificate (<see cref="DtlsCipherSuites.Certificate"/>) as <see cref="DtlsServerCredentials"/> say, in our order
/// (libcoap lands on GCM unless the server prefers its own); asks for and verifies a client certificate when there are
/// client CAs; gives up after the handshake timeout; discards records that do not decrypt instead of failing the
/// session (RFC 6347 §4.1.2.7); and keeps the identity the client authenticated with (PSK identity or certificate CN).
/// </summary>
internal sealed class CoapDtlsServer : AbstractTlsServer
{
    private readonly BcTlsCrypto _crypto;
    private readonly DtlsServerCredentials _credentials;
    private readonly int _handshakeTimeoutMillis;
    private string? _certificateIdentity;

    public CoapDtlsServer(BcTlsCrypto crypto, DtlsServerCredentials credentials, TimeSpan handshakeTimeout)
        : base(crypto)
    {
        _crypto = crypto;
        _credentials = credentials;
        _handshakeTimeoutMillis = (int)handshakeTimeout.TotalMilliseconds;
    }

    /// <summary>The PSK identity or client certificate's identity of the finished handshake; null before, and for an anonymous certificate client.</summary>
    public string? Identity { get; private set; }

    /// <summary>The cipher suite of the finished handshake.</summary>
    public int CipherSuite { get; private set; }

    public override int GetHandshakeTimeoutMillis() => _handshakeTimeoutMillis;

    public override bool IgnoreCorruptDtlsRecords => true;

    public override TlsPskIdentityManager? GetPskIdentityManager() => _credentials.Psk;

    public override TlsCredentials? GetCredentials() =>
        TlsUtilities.GetKeyExchangeAlgorithm(m_context.SecurityParameters.CipherSuite) switch
        {
            KeyExchangeAlgorithm.PSK => null,
            KeyExchangeAlgorithm.ECDHE_ECDSA when _credentials.Certificate is { } certificate => certificate.SignerFor(m_context, _crypto),
            _ => throw new TlsFatalAlert(AlertDescription.internal_error),
        };

    public override CertificateRequest? GetCertificateRequest() =>
        _credentials.ClientCas is null
            ? null
            : new CertificateRequest([ClientCertificateType.ecdsa_sign], TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (_credentials.ClientCas is { } cas)
        {
            _certificateIdentity = cas.Verify(clientCertificate);
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        CipherSuite = m_context.SecurityParameters.CipherSuite;
        var identity = m_context.SecurityParameters.PskIdentity;
        Identity = identity is null ? _certificateIdentity : Encoding.UTF8.GetString(identity);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, _credentials.CipherSuites);

    protected override bool PreferLocalCipherSuites() => true;
}
