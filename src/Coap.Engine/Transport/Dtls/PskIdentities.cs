using System.Text;
using Org.BouncyCastle.Tls;

namespace Coap.Engine.Transport.Dtls;

/// <summary>
/// The PSK identities a DTLS server accepts and their keys (from <see cref="PskKeyFile"/>). Each handshake gets a
/// fresh copy of its key: BouncyCastle clears the array it is given once it has used it.
/// </summary>
public sealed class PskIdentities : TlsPskIdentityManager
{
    private readonly Dictionary<string, byte[]> _keys;

    internal PskIdentities(Dictionary<string, byte[]> keys)
    {
        _keys = keys;
    }

    /// <summary>How many identities there are.</summary>
    public int Count => _keys.Count;

    /// <summary>Whether <paramref name="identity"/> is one of them.</summary>
    public bool Contains(string identity) => _keys.ContainsKey(identity);

    byte[]? TlsPskIdentityManager.GetHint() => null;

    byte[]? TlsPskIdentityManager.GetPsk(byte[] identity)
    {
        string name;
        try
        {
            name = new UTF8Encoding(false, true).GetString(identity);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return _keys.TryGetValue(name, out var key) ? (byte[])key.Clone() : null;
    }
}
