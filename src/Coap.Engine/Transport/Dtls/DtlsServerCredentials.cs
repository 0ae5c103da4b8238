namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// What a DTLS server authenticates with: PSK identities, a certificate, or both. With both, the server offers the
/// PSK suites first and the ECDHE-ECDSA ones after them, so a client offering either kind gets the one it has
/// credentials for (libcoap's clients offer only the kind they were given). With <see cref="ClientCas"/>, a client
/// choosing a certificate suite must present a certificate that verifies against them (mutual authentication) and is
/// known by its subject's CN; without, certificate clients stay anonymous.
/// </summary>
public sealed class DtlsServerCredentials
{
    public DtlsServerCredentials(PskIdentities? psk, DtlsCertificate? certificate, DtlsTrustAnchors? clientCas)
    {
        if (psk is null && certificate is null)
        {
            throw new ArgumentException("A DTLS server needs PSK identities, a certificate, or both.");
        }

        if (clientCas is not null && certificate is null)
        {
            throw new ArgumentException("Client certificates can only be asked for in a certificate handshake: the server needs a certificate of its own.", nameof(clientCas));
        }

        Psk = psk;
        Certificate = certificate;
        ClientCas = clientCas;
        CipherSuites = [.. psk is null ? [] : DtlsCipherSuites.Psk, .. certificate is null ? [] : DtlsCipherSuites.Certificate];
    }

    public PskIdentities? Psk { get; }

    public DtlsCertificate? Certificate { get; }

    public DtlsTrustAnchors? ClientCas { get; }

    /// <summary>The suites offered, in order of preference.</summary>
    internal int[] CipherSuites { get; }
}
