namespace Services.PubSub.Topics;

/// <summary>
/// Turns a request's configuration fields into a topic's configuration: creation (POST to the collection), full
/// replacement (POST to the topic: omitted optional keys reset) and partial update (iPATCH: only the keys given, null
/// resets). The topic-name, topic-data and resource-type never change after creation.
/// </summary>
internal static class ConfigurationRules
{
    /// <summary>The longest Uri-Path option (RFC 7252 §5.10): a longer id could never be asked for.</summary>
    private const int MaxSegmentBytes = 255;

    public static TopicConfiguration Create(ConfigurationFields fields, string dataPrefix, string assignedDataId, DateTimeOffset now)
    {
        if (fields.Name is null)
        {
            throw new ConfigurationException("topic-name (0) is required");
        }

        if (fields.ResourceType is null)
        {
            throw new ConfigurationException($"resource-type (2) is required and must be \"{TopicConfiguration.DataResourceType}\"");
        }

        var dataPath = dataPrefix + assignedDataId;
        if (fields.DataPath is { } requested)
        {
            var trimmed = requested.TrimStart('/');
            var id = trimmed.StartsWith(dataPrefix, StringComparison.Ordinal) ? trimmed[dataPrefix.Length..] : string.Empty;
            if (id.Length == 0 || id.Contains('/', StringComparison.Ordinal) || id.Contains('?', StringComparison.Ordinal))
            {
                throw new ConfigurationException($"topic-data (1) must be \"{dataPrefix}<id>\" on this broker (got {PeerText.Quote(requested)})");
            }

            if (System.Text.Encoding.UTF8.GetByteCount(id) > MaxSegmentBytes)
            {
                throw new ConfigurationException($"the id of topic-data (1) must fit one Uri-Path option, {MaxSegmentBytes} bytes");
            }

            dataPath = trimmed;
        }

        var configuration = new TopicConfiguration { Name = fields.Name, DataPath = dataPath };
        return Apply(configuration, fields, now);
    }

    public static TopicConfiguration Replace(TopicConfiguration current, ConfigurationFields fields, DateTimeOffset now)
    {
        CheckImmutable(current, fields);
        var defaults = current with
        {
            ContentFormat = null,
            TopicType = null,
            Expiration = null,
            MaxSubscribers = null,
            ObserverCheck = TopicConfiguration.DefaultObserverCheck,
        };
        return Apply(defaults, fields, now);
    }

    public static TopicConfiguration Patch(TopicConfiguration current, ConfigurationFields fields, DateTimeOffset now)
    {
        CheckImmutable(current, fields);
        return Apply(current, fields, now);
    }

    private static void CheckImmutable(TopicConfiguration current, ConfigurationFields fields)
    {
        if ((fields.Name is { } name && name != current.Name)
            || (fields.DataPath is { } data && data.TrimStart('/') != current.DataPath)
            || (fields.ResourceType is { } type && type != current.ResourceType))
        {
            throw new ConfigurationException("topic-name (0), topic-data (1) and resource-type (2) cannot change");
        }
    }

    private static TopicConfiguration Apply(TopicConfiguration configuration, ConfigurationFields fields, DateTimeOffset now)
    {
        if (configuration.ResourceType != TopicConfiguration.DataResourceType || (fields.ResourceType is { } type && type != TopicConfiguration.DataResourceType))
        {
            throw new ConfigurationException($"resource-type (2) must be \"{TopicConfiguration.DataResourceType}\"");
        }

        if (fields.Expiration is { } expiration && expiration <= now)
        {
            throw new ConfigurationException("expiration-date (5) is in the past");
        }

        var result = configuration with
        {
            ContentFormat = Pick(fields, ConfigKey.TopicContentFormat, fields.ContentFormat, configuration.ContentFormat),
            TopicType = Pick(fields, ConfigKey.TopicType, fields.TopicType, configuration.TopicType),
            Expiration = Pick(fields, ConfigKey.ExpirationDate, fields.Expiration, configuration.Expiration),
            MaxSubscribers = Pick(fields, ConfigKey.MaxSubscribers, fields.MaxSubscribers, configuration.MaxSubscribers),
            ObserverCheck = fields.IsNull(ConfigKey.ObserverCheck) ? TopicConfiguration.DefaultObserverCheck : fields.ObserverCheck ?? configuration.ObserverCheck,
        };
        if (fields.Initialize is not null && result.ContentFormat is null)
        {
            throw new ConfigurationException("initialize (8) needs topic-content-format (3)");
        }

        if (fields.Initialize is { } initial && CborPayload.Defect(initial, result.ContentFormat) is { } defect)
        {
            throw new ConfigurationException("initialize (8): " + defect);
        }

        return result;
    }

    /// <summary>A key given as null goes back to its default (none); one not given keeps its current value.</summary>
    private static T? Pick<T>(ConfigurationFields fields, int key, T? given, T? current)
        where T : struct =>
        fields.IsNull(key) ? null : given ?? current;

    private static string? Pick(ConfigurationFields fields, int key, string? given, string? current) =>
        fields.IsNull(key) ? null : given ?? current;
}
