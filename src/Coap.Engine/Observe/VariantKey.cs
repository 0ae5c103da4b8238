using Coap.Engine.Protocol;

namespace Coap.Engine.Observe;

/// <summary>
/// What makes two registrations render the same representation: the method, every option that is part of the cache
/// key (RFC 7252 §5.4.6; Observe is not, RFC 7641 §2) and a FETCH body (RFC 8132 §2), for the same stage.
/// </summary>
internal readonly struct VariantKey : IEquatable<VariantKey>
{
    private readonly byte[] _bytes;
    private readonly int _hash;

    private VariantKey(ObserveStage stage, byte[] bytes)
    {
        Stage = stage;
        _bytes = bytes;
        var hash = new HashCode();
        hash.Add(stage);
        hash.AddBytes(bytes);
        _hash = hash.ToHashCode();
    }

    public ObserveStage Stage { get; }

    public static VariantKey From(ObserveStage stage, CoapMessage request) =>
        new(stage, RequestCacheKey.Encode(request, [OptionNumber.Observe], includePayload: request.Code == CoapCode.Fetch));

    public bool Equals(VariantKey other) =>
        ReferenceEquals(Stage, other.Stage) && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => obj is VariantKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
