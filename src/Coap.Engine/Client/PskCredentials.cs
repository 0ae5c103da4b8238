namespace Coap.Engine.Client;

/// <summary>
/// A DTLS pre-shared key and the identity it belongs to (RFC 4279), for <c>coaps://</c> requests. The key is kept
/// as given; the handshake gets fresh copies of it.
/// </summary>
public sealed class PskCredentials
{
    private readonly byte[] _key;

    /// <param name="identity">The PSK identity the server knows the key by (UTF-8 on the wire).</param>
    /// <param name="key">The key's bytes; see <see cref="Transport.Dtls.PskKeyText"/> for the written form.</param>
    public PskCredentials(string identity, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (key.IsEmpty)
        {
            throw new ArgumentException("The pre-shared key is empty.", nameof(key));
        }

        Identity = identity;
        _key = key.ToArray();
    }

    public string Identity { get; }

    /// <summary>A fresh copy of the key: the DTLS library clears the arrays it is handed.</summary>
    public byte[] CopyKey() => (byte[])_key.Clone();
}
