using System.Buffers.Binary;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// What ties the blocks of one body together (RFC 7959 §2.5, RFC 9175 §3): the peer, the method and the request's
/// cache-key options, that is every option except the NoCacheKey ones (Size1, Size2, …) and Block1/Block2; a
/// Request-Tag is a cache-key option, so uploads with different tags stay apart.
/// </summary>
internal readonly struct UploadKey : IEquatable<UploadKey>
{
    private readonly byte[] _options;
    private readonly int _hash;

    private UploadKey(CoapPeer peer, byte[] options)
    {
        Peer = peer;
        _options = options;
        var hash = default(HashCode);
        hash.Add(peer);
        hash.AddBytes(options);
        _hash = hash.ToHashCode();
    }

    public CoapPeer Peer { get; }

    public static UploadKey From(CoapPeer peer, CoapMessage request)
    {
        var length = 1;
        foreach (var option in request.Options)
        {
            if (IsKey(option.Number))
            {
                length += 4 + option.Value.Length;
            }
        }

        var bytes = new byte[length];
        bytes[0] = request.Code.Value;
        var at = 1;
        foreach (var option in request.Options)
        {
            if (IsKey(option.Number))
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), option.Number);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at + 2), (ushort)option.Value.Length);
                option.Value.Span.CopyTo(bytes.AsSpan(at + 4));
                at += 4 + option.Value.Length;
            }
        }

        return new UploadKey(peer, bytes);
    }

    public bool Equals(UploadKey other) =>
        ReferenceEquals(Peer, other.Peer) && _options.AsSpan().SequenceEqual(other._options);

    public override bool Equals(object? obj) => obj is UploadKey other && Equals(other);

    public override int GetHashCode() => _hash;

    private static bool IsKey(ushort number) =>
        number is not OptionNumber.Block1 and not OptionNumber.Block2 && !OptionNumber.IsNoCacheKey(number);
}
