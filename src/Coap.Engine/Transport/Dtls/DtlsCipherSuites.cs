using Org.BouncyCastle.Tls;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// What our DTLS 1.2 endpoints offer, in order of preference. PSK: TLS_PSK_WITH_AES_128_CCM_8 first, the suite RFC
/// 7252 §9.1.3.1 makes mandatory (libcoap lands on GCM unless the server prefers its own order), then the AES-128 CCM
/// and GCM PSK suites that libcoap's OpenSSL and GnuTLS builds also offer.
/// </summary>
public static class DtlsCipherSuites
{
    public static readonly int[] Psk =
    [
        CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
        CipherSuite.TLS_PSK_WITH_AES_128_CCM,
        CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
    ];
}
