using System.Text;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// The server side of one DTLS 1.2 PSK handshake: offers <see cref="DtlsCipherSuites.Psk"/> in our order (libcoap
/// lands on GCM unless the server prefers its own), gives up after the handshake timeout, discards records that do not
/// decrypt instead of failing the session (RFC 6347 §4.1.2.7), and keeps the identity the client authenticated with.
/// </summary>
internal sealed class PskDtlsServer : PskTlsServer
{
    private readonly int _handshakeTimeoutMillis;

    public PskDtlsServer(TlsCrypto crypto, PskIdentities identities, TimeSpan handshakeTimeout)
        : base(crypto, identities)
    {
        _handshakeTimeoutMillis = (int)handshakeTimeout.TotalMilliseconds;
    }

    /// <summary>The PSK identity of the finished handshake; null before.</summary>
    public string? Identity { get; private set; }

    /// <summary>The cipher suite of the finished handshake.</summary>
    public int CipherSuite { get; private set; }

    public override int GetHandshakeTimeoutMillis() => _handshakeTimeoutMillis;

    public override bool IgnoreCorruptDtlsRecords => true;

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        CipherSuite = m_context.SecurityParameters.CipherSuite;
        var identity = m_context.SecurityParameters.PskIdentity;
        Identity = identity is null ? null : Encoding.UTF8.GetString(identity);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.Psk);

    protected override bool PreferLocalCipherSuites() => true;
}
