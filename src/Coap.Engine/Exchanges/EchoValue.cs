using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Coap.Engine.Exchanges;

/// <summary>
/// Stateless Echo option values (RFC 9175 §2.2, Appendix A method 2, "integrity-protected timestamp"): four bytes of
/// the endpoint's clock in seconds, then HMAC-SHA-256 over that time and the peer's address and port, truncated to
/// eight bytes, under a key drawn at random for this endpoint and never stored. A value proves that whoever sends it
/// received it at that address within <see cref="Validity"/>; nothing is remembered per value, so a flood of
/// challenges fills no table.
/// </summary>
internal sealed class EchoValue
{
    /// <summary>Four bytes of time and eight of MAC.</summary>
    public const int Length = TimeLength + MacLength;

    /// <summary>How long after it was issued a value is accepted: ample for a client to repeat its request.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromSeconds(60);

    private const int TimeLength = 4;
    private const int MacLength = 8;

    /// <summary>The MAC input: time, port, and an IPv6 address (an IPv4 one is shorter).</summary>
    private const int MaxInputLength = TimeLength + 2 + 16;

    /// <summary>
    /// Drawn when the first value is made or checked, not when the endpoint starts: drawing it loads the process's
    /// crypto library (about 5 MiB of resident memory), which a server whose peers are all verified (loopback, DTLS)
    /// then never needs.
    /// </summary>
    private readonly Lazy<byte[]> _key = new(() => RandomNumberGenerator.GetBytes(32));

    /// <summary>A fresh value for a peer at <paramref name="seconds"/> of the endpoint's clock.</summary>
    public byte[] Create(SocketAddress peer, uint seconds)
    {
        var value = new byte[Length];
        BinaryPrimitives.WriteUInt32BigEndian(value, seconds);
        Mac(value.AsSpan(0, TimeLength), peer, value.AsSpan(TimeLength));
        return value;
    }

    /// <summary>
    /// True when <paramref name="value"/> was issued by this endpoint to <paramref name="peer"/> no longer than
    /// <see cref="Validity"/> before <paramref name="now"/> (seconds of the endpoint's clock); false for a value of
    /// another length, another address or port, another process, a later time, or an older one.
    /// </summary>
    public bool IsValid(ReadOnlySpan<byte> value, SocketAddress peer, uint now)
    {
        if (value.Length != Length || now - BinaryPrimitives.ReadUInt32BigEndian(value) > (uint)Validity.TotalSeconds)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        Mac(value[..TimeLength], peer, expected);
        return CryptographicOperations.FixedTimeEquals(expected, value[TimeLength..]);
    }

    private void Mac(ReadOnlySpan<byte> time, SocketAddress peer, Span<byte> mac)
    {
        Span<byte> input = stackalloc byte[MaxInputLength];
        time.CopyTo(input);
        var length = TimeLength + WriteEndPoint(peer, input[TimeLength..]);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key.Value, input[..length], hash);
        hash[..MacLength].CopyTo(mac);
    }

    /// <summary>
    /// The port and address bytes of a socket address (sockaddr_in: port at 2, address at 4; sockaddr_in6: port at 2,
    /// address at 8), leaving out what may vary between datagrams of one peer (IPv6 flow label).
    /// </summary>
    private static int WriteEndPoint(SocketAddress address, Span<byte> into)
    {
        var bytes = address.Buffer.Span;
        bytes.Slice(2, 2).CopyTo(into);
        if (address.Family == AddressFamily.InterNetworkV6)
        {
            bytes.Slice(8, 16).CopyTo(into[2..]);
            return 18;
        }

        bytes.Slice(4, 4).CopyTo(into[2..]);
        return 6;
    }
}
