namespace Services.Doc.Dns;

/// <summary>Decoded RDATA; types the codec does not know stay <see cref="OpaqueData"/> (RFC 3597).</summary>
public abstract record DnsRecordData
{
    /// <summary>The data in zone-file presentation form, as dig prints it.</summary>
    public abstract string ToText();

    internal abstract void Write(DnsWriter writer);
}
