using System.Buffers.Binary;
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

    public static VariantKey From(ObserveStage stage, CoapMessage request)
    {
        var withBody = request.Code == CoapCode.Fetch;
        var length = 1 + (withBody ? request.Payload.Length : 0);
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

        if (withBody)
        {
            request.Payload.Span.CopyTo(bytes.AsSpan(at));
        }

        return new VariantKey(stage, bytes);
    }

    public bool Equals(VariantKey other) =>
        ReferenceEquals(Stage, other.Stage) && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => obj is VariantKey other && Equals(other);

    public override int GetHashCode() => _hash;

    private static bool IsKey(ushort number) => number != OptionNumber.Observe && !OptionNumber.IsNoCacheKey(number);
}
