using System.Globalization;
using System.Text;

namespace Coap.Fuzzing;

/// <summary>One kind of finding: how often it happened, and the first time with the datagram that provoked it.</summary>
public sealed record Finding(string Kind, int Count, string Detail, long FirstIndex, string FirstDatagramHex);

/// <summary>
/// What a fuzz run found, counted by kind, each with its first occurrence: the index of the datagram in the run (with
/// the seed, enough to replay it), what was wrong, and the datagram in hex.
/// </summary>
public sealed class Findings
{
    public const string MalformedResponse = "malformed datagram from the server";
    public const string UnexpectedMessage = "a request or reserved code from the server";
    public const string InternalServerError = "5.00 answer";
    public const string TokenMismatch = "piggybacked answer with another token";
    public const string UnknownToken = "answer with a token never sent";
    public const string StrayAcknowledgement = "ACK or RST for a message ID never sent as CON";
    public const string Unanswered = "CON never answered";
    public const string LongDiagnostic = "diagnostic payload over 128 bytes";
    public const string UnreadableMap = "broker answer that is not a CBOR map";
    public const string UnreadableDnsAnswer = "DoC answer that is not a DNS response";
    public const string UnreadableLinks = "link-format answer that does not parse";
    public const string UnreadableCbor = "CBOR answer that is not one well-formed item";
    public const string MisfitBlock = "Block2 payload that does not fit its SZX";
    public const string ContinueWithoutBlock1 = "2.31 without Block1";
    public const string BadETag = "ETag not 1 to 8 bytes";

    private readonly Dictionary<string, Finding> _byKind = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Finding> All => _byKind.Values;

    public int Count => _byKind.Values.Sum(f => f.Count);

    public void Add(string kind, string detail, long index, ReadOnlySpan<byte> datagram)
    {
        _byKind[kind] = _byKind.TryGetValue(kind, out var known)
            ? known with { Count = known.Count + 1 }
            : new Finding(kind, 1, detail, index, Convert.ToHexStringLower(datagram));
    }

    /// <summary>
    /// Adds another run's findings (one per lane of a multi-threaded run), keeping the earliest first occurrence per
    /// kind.
    /// </summary>
    public void Merge(Findings other)
    {
        foreach (var finding in other.All)
        {
            _byKind[finding.Kind] = _byKind.TryGetValue(finding.Kind, out var known)
                ? (known.FirstIndex <= finding.FirstIndex ? known : finding) with { Count = known.Count + finding.Count }
                : finding;
        }
    }

    /// <summary>One line per kind: count, kind, first index, detail and datagram; "none" when nothing was found.</summary>
    public override string ToString()
    {
        if (_byKind.Count == 0)
        {
            return "none";
        }

        var text = new StringBuilder();
        foreach (var finding in _byKind.Values.OrderByDescending(f => f.Count))
        {
            text.Append(CultureInfo.InvariantCulture, $"{finding.Count} × {finding.Kind}; first at datagram {finding.FirstIndex}: {finding.Detail}; datagram {finding.FirstDatagramHex}\n");
        }

        return text.ToString();
    }
}
