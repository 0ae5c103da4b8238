using Services.PubSub.Topics;

namespace Services.PubSub.State.Redis;

/// <summary>
/// A topic as the Redis store holds it: its configuration with the number of that configuration (<see cref="Generation"/>)
/// and its latest value with the number the store gave it (<see cref="Sequence"/>; a cleared value keeps counting).
/// </summary>
internal sealed record StoredTopic(string Id, TopicConfiguration Configuration, long Generation, Publication? Value, long Sequence);
