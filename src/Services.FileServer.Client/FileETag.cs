using System.Diagnostics.CodeAnalysis;

namespace Services.FileServer.Client;

/// <summary>
/// An entity tag as the file service sends it (RFC 7252 §5.10.6): opaque bytes, 1 to 8 of them, that change whenever
/// the file does. Compared byte for byte; written as lower-case hex, so it can be stored and typed.
/// </summary>
public sealed class FileETag : IEquatable<FileETag>
{
    private readonly byte[] _bytes;

    /// <summary>An ETag with these bytes (1 to 8, RFC 7252 §5.10).</summary>
    public FileETag(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is < 1 or > 8)
        {
            throw new ArgumentException("An ETag has 1 to 8 bytes (RFC 7252 §5.10).", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>The ETag's bytes, as an option value.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Reads an ETag written by <see cref="ToString"/>: 2 to 16 hex digits.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out FileETag? etag)
    {
        etag = null;
        if (string.IsNullOrEmpty(text) || text.Length % 2 != 0 || text.Length > 16)
        {
            return false;
        }

        try
        {
            etag = new FileETag(Convert.FromHexString(text));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public bool Equals(FileETag? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as FileETag);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    /// <summary>The bytes as lower-case hex.</summary>
    public override string ToString() => Convert.ToHexStringLower(_bytes);
}
