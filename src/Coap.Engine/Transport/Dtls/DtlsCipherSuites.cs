using Org.BouncyCastle.Tls;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// What our DTLS 1.2 endpoints offer, in order of preference. PSK: TLS_PSK_WITH_AES_128_CCM_8 first, the suite RFC
/// 7252 §9.1.3.1 makes mandatory (libcoap lands on GCM unless the server prefers its own order), then the AES-128 CCM
/// and GCM PSK suites that libcoap's OpenSSL and GnuTLS builds also offer. Certificates: ECDHE-ECDSA with
/// AES_128_CCM_8 first (RFC 7252 §9.1.3.3), then AES_128_CCM and AES_128_GCM_SHA256, over P-256.
/// </summary>
public static class DtlsCipherSuites
{
    public static readonly int[] Psk =
    [
        CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
        CipherSuite.TLS_PSK_WITH_AES_128_CCM,
        CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
    ];

    public static readonly int[] Certificate =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ];
}
