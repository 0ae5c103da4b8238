namespace Services.PubSub.Topics;

/// <summary>
/// The keys of a configuration map as a request gave them: which keys were present, which carried null (an
/// iPATCH that resets a key), and their values; the keys not given stay at their defaults.
/// </summary>
internal sealed class ConfigurationFields
{
    private readonly bool[] _present = new bool[ConfigKey.Last + 1];
    private readonly bool[] _null = new bool[ConfigKey.Last + 1];

    public string? Name { get; set; }

    public string? DataPath { get; set; }

    public string? ResourceType { get; set; }

    public int? ContentFormat { get; set; }

    public string? TopicType { get; set; }

    public DateTimeOffset? Expiration { get; set; }

    public int? MaxSubscribers { get; set; }

    public int? ObserverCheck { get; set; }

    /// <summary>8 initialize: a first value, published with the topic.</summary>
    public byte[]? Initialize { get; set; }

    public bool IsNull(int key) => _null[key];

    public IEnumerable<int> Keys => Enumerable.Range(0, _present.Length).Where(key => _present[key]);

    public void Mark(int key, bool isNull)
    {
        if (_present[key])
        {
            throw new ConfigurationException($"key {key} appears twice");
        }

        _present[key] = true;
        _null[key] = isNull;
    }
}
