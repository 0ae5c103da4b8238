using System.Text;
using Coap.Engine.Client;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// BouncyCastle's PSK client set up for CoAP: DTLS 1.2 only (its default is TLS), our PSK suites (its defaults are
/// the (EC)DHE-PSK ones, which libcoap does not offer), a handshake timeout (its default is none), and records that
/// fail to decrypt dropped rather than fatal (RFC 6347 §4.1.2.7), so a forged datagram cannot end a session.
/// </summary>
internal sealed class DtlsPskClient : PskTlsClient
{
    private readonly int _timeoutMillis;

    public DtlsPskClient(TlsCrypto crypto, PskCredentials credentials, TimeSpan timeout)
        : base(crypto, new FreshCopies(credentials))
    {
        _timeoutMillis = (int)timeout.TotalMilliseconds;
    }

    public override bool IgnoreCorruptDtlsRecords => true;

    public override int GetHandshakeTimeoutMillis() => _timeoutMillis;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.Psk);

    /// <summary>Hands out new arrays each time: BouncyCastle clears the ones it is given after use.</summary>
    private sealed class FreshCopies(PskCredentials credentials) : TlsPskIdentity
    {
        public void SkipIdentityHint()
        {
        }

        public void NotifyIdentityHint(byte[] psk_identity_hint)
        {
        }

        public byte[] GetPskIdentity() => Encoding.UTF8.GetBytes(credentials.Identity);

        public byte[] GetPsk() => credentials.CopyKey();
    }
}
