namespace Coap.Engine.Protocol;

/// <summary>Registered CoAP Content-Format numbers (RFC 7252 §12.3 and the CoRE Parameters registry).</summary>
public static class ContentFormat
{
    public const int TextPlain = 0;
    public const int CoseEncrypt0 = 16;
    public const int CoseMac0 = 17;
    public const int CoseSign1 = 18;
    public const int LinkFormat = 40;
    public const int Xml = 41;
    public const int OctetStream = 42;
    public const int Exi = 47;
    public const int Json = 50;
    public const int JsonPatch = 51;
    public const int MergePatch = 52;
    public const int Cbor = 60;
    public const int Cwt = 61;
    public const int MultipartCore = 62;
    public const int CborSeq = 63;
    public const int SenmlJson = 110;
    public const int SensmlJson = 111;
    public const int SenmlCbor = 112;
    public const int SensmlCbor = 113;
    public const int SenmlExi = 114;
    public const int SensmlExi = 115;
    public const int YangDataCbor = 140;
    public const int CoapGroupJson = 256;
    public const int DnsMessage = 553;
    public const int PkiMessage = 281;
    public const int Pkcs7MimeServerGeneratedKey = 280;
    public const int Pkcs8 = 284;
    public const int CsrAttrs = 285;
    public const int Pkcs10 = 286;
    public const int PkixCert = 287;
    public const int SenmlXml = 310;
    public const int SensmlXml = 311;
    public const int SenmlEtchJson = 320;
    public const int SenmlEtchCbor = 322;
    public const int LwM2mTlv = 11542;
    public const int LwM2mJson = 11543;
    public const int LwM2mCbor = 11544;

    private static readonly Dictionary<int, string> Names = new()
    {
        [TextPlain] = "text/plain; charset=utf-8",
        [CoseEncrypt0] = "application/cose; cose-type=\"cose-encrypt0\"",
        [CoseMac0] = "application/cose; cose-type=\"cose-mac0\"",
        [CoseSign1] = "application/cose; cose-type=\"cose-sign1\"",
        [LinkFormat] = "application/link-format",
        [Xml] = "application/xml",
        [OctetStream] = "application/octet-stream",
        [Exi] = "application/exi",
        [Json] = "application/json",
        [JsonPatch] = "application/json-patch+json",
        [MergePatch] = "application/merge-patch+json",
        [Cbor] = "application/cbor",
        [Cwt] = "application/cwt",
        [MultipartCore] = "application/multipart-core",
        [CborSeq] = "application/cbor-seq",
        [SenmlJson] = "application/senml+json",
        [SensmlJson] = "application/sensml+json",
        [SenmlCbor] = "application/senml+cbor",
        [SensmlCbor] = "application/sensml+cbor",
        [SenmlExi] = "application/senml-exi",
        [SensmlExi] = "application/sensml-exi",
        [YangDataCbor] = "application/yang-data+cbor",
        [CoapGroupJson] = "application/coap-group+json",
        [Pkcs7MimeServerGeneratedKey] = "application/pkcs7-mime; smime-type=server-generated-key",
        [PkiMessage] = "application/pkcs7-mime; smime-type=certs-only",
        [Pkcs8] = "application/pkcs8",
        [CsrAttrs] = "application/csrattrs",
        [Pkcs10] = "application/pkcs10",
        [PkixCert] = "application/pkix-cert",
        [SenmlXml] = "application/senml+xml",
        [SensmlXml] = "application/sensml+xml",
        [SenmlEtchJson] = "application/senml-etch+json",
        [SenmlEtchCbor] = "application/senml-etch+cbor",
        [DnsMessage] = "application/dns-message",
        [LwM2mTlv] = "application/vnd.oma.lwm2m+tlv",
        [LwM2mJson] = "application/vnd.oma.lwm2m+json",
        [LwM2mCbor] = "application/vnd.oma.lwm2m+cbor",
    };

    /// <summary>The media type registered for a Content-Format number, or null.</summary>
    public static string? NameOf(int contentFormat) => Names.GetValueOrDefault(contentFormat);

    /// <summary>Whether the format is CBOR: application/cbor (60), a CBOR sequence (63) or a registered "+cbor" type.</summary>
    public static bool IsCbor(int contentFormat) =>
        contentFormat is Cbor or CborSeq || NameOf(contentFormat)?.EndsWith("+cbor", StringComparison.Ordinal) == true;

    /// <summary>Every registered Content-Format with its media type.</summary>
    public static IReadOnlyDictionary<int, string> All => Names;

    /// <summary>Finds a Content-Format by number or by media type ("application/cbor", "cbor", "60").</summary>
    public static bool TryParse(string text, out int contentFormat)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out contentFormat))
        {
            return contentFormat <= ushort.MaxValue;
        }

        foreach (var (number, name) in Names)
        {
            var bare = name.Split(';')[0];
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(bare, text, StringComparison.OrdinalIgnoreCase)
                || string.Equals(bare[(bare.IndexOf('/') + 1)..], text, StringComparison.OrdinalIgnoreCase))
            {
                contentFormat = number;
                return true;
            }
        }

        contentFormat = -1;
        return false;
    }
}
