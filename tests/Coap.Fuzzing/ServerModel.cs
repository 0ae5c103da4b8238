using System.Formats.Cbor;
using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// What the fuzzer learned from the server's answers, so that requests reach real state: the pub-sub topics it
/// created (their configuration and data ids, from a 2.01's Location-Path and map) and the last ETag seen per path.
/// Bounded, so a long run stays small: the oldest topics and tags are forgotten first.
/// </summary>
public sealed class ServerModel
{
    private const int MaxTopics = 32;
    private const int MaxTags = 256;

    private readonly List<(string Id, string? DataId)> _topics = [];
    private readonly Dictionary<string, byte[]> _tags = new(StringComparer.Ordinal);
    private readonly Queue<string> _tagOrder = new();

    /// <summary>
    /// The topics created, newest last; the data id is null when the 2.01 came block-wise (a map too large for one
    /// block).
    /// </summary>
    public IReadOnlyList<(string Id, string? DataId)> Topics => _topics;

    /// <summary>The last ETag an answer for <paramref name="path"/> carried, or null.</summary>
    public byte[]? TagOf(string path) => _tags.GetValueOrDefault(path);

    /// <summary>Takes in one answer to one request.</summary>
    public void Learn(CoapMessage request, CoapMessage response)
    {
        var path = request.GetUriPathSegments();
        if (response.Options.TryGet(OptionNumber.ETag, out var tag) && tag.Value.Length is > 0 and <= 8)
        {
            Remember(string.Join('/', path), tag.Value.ToArray());
        }

        if (path.Count == 1 && path[0] == Served.PubSub && request.Code == CoapCode.Post && response.Code == CoapCode.Created)
        {
            var location = response.Options.GetAll(OptionNumber.LocationPath);
            var segments = new List<string>();
            foreach (var option in location)
            {
                segments.Add(option.GetString());
            }

            if (segments.Count == 2)
            {
                _topics.Add((segments[1], response.Options.Contains(OptionNumber.Block2) ? null : DataIdOf(response.Payload)));
                if (_topics.Count > MaxTopics)
                {
                    _topics.RemoveAt(0);
                }
            }
        }
        else if (path.Count == 2 && path[0] == Served.PubSub && request.Code == CoapCode.Delete && response.Code == CoapCode.Deleted)
        {
            _topics.RemoveAll(t => t.Id == path[1]);
        }
    }

    /// <summary>
    /// The data id in key 1 ("ps/data/{id}") of a broker's map; null when it has none (or is no map: the ledger reports
    /// that).
    /// </summary>
    public static string? DataIdOf(ReadOnlyMemory<byte> map)
    {
        try
        {
            return ReadDataId(map);
        }
        catch (Exception error) when (error is CborContentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ReadDataId(ReadOnlyMemory<byte> map)
    {
        var reader = new CborReader(map, CborConformanceMode.Lax);
        reader.ReadStartMap();
        while (reader.PeekState() != CborReaderState.EndMap)
        {
            if (reader.PeekState() != CborReaderState.UnsignedInteger)
            {
                reader.SkipValue();
                reader.SkipValue();
                continue;
            }

            if (reader.ReadUInt64() == 1 && reader.PeekState() == CborReaderState.TextString)
            {
                var text = reader.ReadTextString();
                var prefix = Served.PubSub + "/data/";
                return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : null;
            }

            reader.SkipValue();
        }

        return null;
    }

    private void Remember(string path, byte[] tag)
    {
        if (!_tags.ContainsKey(path))
        {
            _tagOrder.Enqueue(path);
            if (_tagOrder.Count > MaxTags)
            {
                _tags.Remove(_tagOrder.Dequeue());
            }
        }

        _tags[path] = tag;
    }
}
