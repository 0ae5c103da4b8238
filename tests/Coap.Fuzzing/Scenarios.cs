using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// Stateful sequences of datagrams, written as iterators: each step is made when it is due, after the answers to the
/// steps before it came in (<see cref="FuzzClient.AnswerTo"/>), so a scenario can follow what the server did.
/// </summary>
internal static partial class Scenarios
{
    /// <summary>
    /// Longer than the EXCHANGE_LIFETIME the fuzz test and bench give the server (3 s), so what waits for it expires.
    /// </summary>
    internal static readonly TimeSpan PastLifetime = TimeSpan.FromSeconds(4);

    public static IEnumerable<FuzzStep> Start(FuzzClient client) => client.Random.Next(100) switch
    {
        < 18 => BlockUpload(client),
        < 32 => UploadIntoVanishingDirectory(client),
        < 44 => MessageIdReuse(client),
        < 52 => TokenReuse(client),
        < 64 => ObserveStorm(client),
        < 82 => TopicLifecycle(client),
        _ => BlockDownload(client),
    };

    /// <summary>
    /// Whether the answer to the request with <paramref name="token"/> is in and has <paramref name="code"/>.
    /// </summary>
    private static bool Answered(FuzzClient client, int peer, CoapToken token, CoapCode code) => client.AnswerTo(peer, token)?.Code == code;

    private static CoapMessage Get(string[] path) => RequestFactory.Request(CoapCode.Get, path);
}
