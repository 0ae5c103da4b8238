using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// Whole responses to unsafe requests whose remaining blocks a client will ask for (RFC 7959 §3.3), each kept for
/// EXCHANGE_LIFETIME after it was made. Expired entries are dropped whenever one is added; when
/// <see cref="MaxEntries"/> are live, a new response is not kept and its later blocks run the handler again.
/// </summary>
internal sealed class ResponseCache
{
    public const int MaxEntries = 1024;

    private readonly object _gate = new();
    private readonly Dictionary<UploadKey, (CoapMessage Response, long Expires)> _entries = [];
    private readonly List<UploadKey> _expired = [];
    private readonly TimeProvider _time;
    private readonly long _lifetimeTicks;

    public ResponseCache(TimeProvider time, TimeSpan lifetime)
    {
        _time = time;
        _lifetimeTicks = (long)(lifetime.TotalSeconds * time.TimestampFrequency);
    }

    public void Add(UploadKey key, CoapMessage response)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            foreach (var entry in _entries)
            {
                if (entry.Value.Expires <= now)
                {
                    _expired.Add(entry.Key);
                }
            }

            foreach (var old in _expired)
            {
                _entries.Remove(old);
            }

            _expired.Clear();
            if (_entries.Count < MaxEntries || _entries.ContainsKey(key))
            {
                _entries[key] = (response, now + _lifetimeTicks);
            }
        }
    }

    public bool TryGet(UploadKey key, out CoapMessage response)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.Expires > _time.GetTimestamp())
            {
                response = entry.Response;
                return true;
            }
        }

        response = null!;
        return false;
    }
}
