using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Tls;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// Whom a DTLS endpoint trusts to vouch for its peer's certificate: the CA certificates of a PEM bundle, or the
/// system's trust store. A peer's chain (leaf first, at most <see cref="MaxChain"/> certificates) must build to one
/// of them with every certificate in its validity period (.NET's <see cref="X509Chain"/>: signatures, validity,
/// CA basic constraints; no revocation check, no host name check).
/// </summary>
public sealed class DtlsTrustAnchors
{
    /// <summary>The longest chain a peer may present.</summary>
    public const int MaxChain = 8;

    private readonly X509Certificate2Collection? _roots;

    private DtlsTrustAnchors(X509Certificate2Collection? roots)
    {
        _roots = roots;
    }

    /// <summary>The CAs the operating system trusts (for servers with a publicly issued certificate).</summary>
    public static DtlsTrustAnchors System { get; } = new(null);

    /// <summary>Whether these are the system's CAs rather than a bundle's.</summary>
    public bool IsSystem => _roots is null;

    /// <summary>The CA certificates of the PEM bundle <paramref name="path"/>; <paramref name="name"/> names the setting in messages.</summary>
    public static DtlsTrustAnchors Load(string path, string name)
    {
        ArgumentNullException.ThrowIfNull(path);
        var roots = new X509Certificate2Collection();
        foreach (var der in PemCertificates.Read(path, name))
        {
            roots.Add(X509CertificateLoader.LoadCertificate(der));
        }

        return new DtlsTrustAnchors(roots);
    }

    /// <summary>
    /// Verifies the chain a peer presented and returns its identity: the leaf's subject common name (CN), or its whole
    /// subject when it has none. A chain that does not verify is a fatal alert: bad_certificate when it is empty or
    /// malformed, unknown_ca when it does not lead to a trusted CA, certificate_expired outside its validity.
    /// </summary>
    internal string Verify(Certificate presented)
    {
        if (presented.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "the peer sent no certificate");
        }

        if (presented.Length > MaxChain)
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, $"the peer's chain has more than {MaxChain} certificates");
        }

        var certificates = new X509Certificate2[presented.Length];
        try
        {
            for (var i = 0; i < certificates.Length; i++)
            {
                certificates[i] = X509CertificateLoader.LoadCertificate(presented.GetCertificateAt(i).GetEncoded());
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (_roots is not null)
            {
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
            }

            for (var i = 1; i < certificates.Length; i++)
            {
                chain.ChainPolicy.ExtraStore.Add(certificates[i]);
            }

            if (!chain.Build(certificates[0]))
            {
                var status = chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, b) => a | b);
                var alert = (status & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0
                    ? AlertDescription.certificate_expired
                    : AlertDescription.unknown_ca;
                var reason = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                throw new TlsFatalAlert(alert, $"the peer's certificate '{certificates[0].Subject}' does not verify against {(IsSystem ? "the system's CAs" : "the CA file")}: {reason}");
            }

            return IdentityOf(certificates[0]);
        }
        catch (CryptographicException error)
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, $"the peer's certificate cannot be read: {error.Message}");
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate?.Dispose();
            }
        }
    }

    private static string IdentityOf(X509Certificate2 leaf)
    {
        foreach (var rdn in leaf.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.3" && rdn.GetSingleElementValue() is { Length: > 0 } cn)
            {
                return cn;
            }
        }

        return leaf.Subject;
    }
}
