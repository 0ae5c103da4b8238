using Coap.Engine.Hosting;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// An X.509 certificate chain (leaf first, then any intermediates) and the leaf's P-256 ECDSA private key, read from
/// PEM files, for the ECDHE-ECDSA suites of a DTLS server or client. The key file is refused when group or others may
/// read or write it (like the PSK key file), and no message ever quotes the key.
/// </summary>
public sealed class DtlsCertificate
{
    private readonly byte[][] _chain;
    private readonly ECPrivateKeyParameters _key;

    private DtlsCertificate(byte[][] chain, ECPrivateKeyParameters key)
    {
        _chain = chain;
        _key = key;
    }

    /// <summary>
    /// Reads <paramref name="certificateFile"/> (one or more CERTIFICATE blocks) and <paramref name="keyFile"/> (an EC
    /// PRIVATE KEY or PKCS#8 PRIVATE KEY block, unencrypted). <paramref name="certificateName"/> and
    /// <paramref name="keyName"/> name the settings or flags in messages. Throws <see cref="CoapConfigurationException"/>.
    /// </summary>
    public static DtlsCertificate Load(string certificateFile, string keyFile, string certificateName, string keyName)
    {
        ArgumentNullException.ThrowIfNull(certificateFile);
        ArgumentNullException.ThrowIfNull(keyFile);
        var chain = PemCertificates.Read(certificateFile, certificateName);
        PrivateFile.RefuseShared(keyFile, keyName);
        object? pem;
        try
        {
            using var reader = new PemReader(new StringReader(File.ReadAllText(keyFile)));
            pem = reader.ReadObject();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or PemException or ArgumentException)
        {
            throw new CoapConfigurationException($"{keyName} '{keyFile}' cannot be read as a PEM private key: {error.GetType().Name}.", error);
        }

        var key = pem switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter parameter => parameter,
            _ => null,
        };
        if (key is not ECPrivateKeyParameters ec || !ec.IsPrivate)
        {
            throw new CoapConfigurationException($"{keyName} '{keyFile}' holds no unencrypted EC private key (make one with: openssl ecparam -name prime256v1 -genkey -noout).");
        }

        var leafKey = new X509Certificate(chain[0]).GetPublicKey();
        if (leafKey is not ECPublicKeyParameters leafEc || !leafEc.Q.Equals(ec.Parameters.G.Multiply(ec.D).Normalize()))
        {
            throw new CoapConfigurationException($"{keyName} '{keyFile}' is not the private key of the first certificate in {certificateName} '{certificateFile}'.");
        }

        return new DtlsCertificate(chain, ec);
    }

    /// <summary>The signer for one handshake: ECDSA with SHA-256, which every P-256 peer accepts.</summary>
    internal TlsCredentialedSigner SignerFor(TlsContext context, BcTlsCrypto crypto)
    {
        var entries = new TlsCertificate[_chain.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = crypto.CreateCertificate(_chain[i]);
        }

        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context),
            crypto,
            _key,
            new Certificate(entries),
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
