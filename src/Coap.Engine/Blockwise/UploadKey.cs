using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// What ties the blocks of one body together (RFC 7959 §2.5, RFC 9175 §3): the peer, the method and the request's
/// cache-key options, that is every option except the NoCacheKey ones (Size1, Size2, …) and Block1/Block2/Q-Block1/Q-Block2; a
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

    public static UploadKey From(CoapPeer peer, CoapMessage request) =>
        new(peer, RequestCacheKey.Encode(request, [OptionNumber.Block1, OptionNumber.Block2, OptionNumber.QBlock1, OptionNumber.QBlock2], includePayload: false));

    public bool Equals(UploadKey other) =>
        ReferenceEquals(Peer, other.Peer) && _options.AsSpan().SequenceEqual(other._options);

    public override bool Equals(object? obj) => obj is UploadKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
