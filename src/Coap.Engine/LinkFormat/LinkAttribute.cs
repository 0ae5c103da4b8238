namespace Coap.Engine.LinkFormat;

/// <summary>
/// One target attribute of a link (RFC 6690 §2, §3): a name and a value, or no value for a valueless attribute
/// such as <c>obs</c> (RFC 7641 §6).
/// </summary>
/// <param name="Name">The attribute name ("rt", "ct", "obs"); names compare case-insensitively (RFC 8288 §3).</param>
/// <param name="Value">The unquoted value, or null when the attribute has none.</param>
public readonly record struct LinkAttribute(string Name, string? Value)
{
    /// <summary>Whether the attribute was written with "=value".</summary>
    public bool HasValue => Value is not null;

    public override string ToString() => Value is null ? Name : $"{Name}={Value}";
}
