using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>A pub-sub topic from creation to deletion, and what clients do to it meanwhile.</summary>
internal static partial class Scenarios
{
    /// <summary>
    /// Creates a topic (or takes a known one when the name is in use), then 4 to 12 of: publish (CBOR, broken CBOR,
    /// text), subscribe, read, read or FETCH the configuration, change it with iPATCH or replace it with POST (fewer
    /// subscribers, another Content-Format, an expiration seconds away), delete the data, delete the topic and go on
    /// using it, let the clock run past an expiration.
    /// </summary>
    private static IEnumerable<FuzzStep> TopicLifecycle(FuzzClient client)
    {
        var random = client.Random;
        var peer = client.AnyPeer();
        var create = RequestFactory.Request(CoapCode.Post, [Served.PubSub]);
        client.Requests.Map(create, forCreate: true);
        client.Prepare(peer, create, CoapMessageType.Confirmable);
        yield return FuzzClient.Step(peer, create);
        var created = client.AnswerTo(peer, create.Token);
        var (id, data) = created?.Code == CoapCode.Created && client.Model.Topics.Count > 0
            ? client.Model.Topics[^1]
            : (client.Requests.TopicId(), null);
        data ??= client.Requests.DataId();

        for (var count = random.Next(4, 13); count > 0; count--)
        {
            var from = random.Chance(0.8) ? peer : client.AnyPeer();
            CoapMessage request;
            var pause = TimeSpan.Zero;
            switch (random.Next(12))
            {
                case < 4:
                    request = RequestFactory.Request(CoapCode.Put, [Served.PubSub, "data", data]);
                    client.Requests.Publication(request);
                    break;
                case 4:
                    request = Get([Served.PubSub, "data", data]);
                    request.Observe = random.Chance(0.8) ? 0 : 1;
                    break;
                case 5:
                    request = Get([Served.PubSub, "data", data]);
                    break;
                case 6:
                    request = client.Requests.Topic(id);
                    break;
                case 7:
                    request = RequestFactory.Request(random.Chance(0.7) ? CoapCode.IPatch : CoapCode.Post, [Served.PubSub, id]);
                    client.Requests.Map(request, forCreate: request.Code == CoapCode.Post);
                    break;
                case 8:
                    request = RequestFactory.Request(CoapCode.Delete, [Served.PubSub, "data", data]);
                    break;
                case 9:
                    request = RequestFactory.Request(CoapCode.Delete, [Served.PubSub, id]);
                    break;
                case 10:
                    request = Get([Served.PubSub]);
                    pause = TimeSpan.FromMilliseconds(random.Next(500, 6000));
                    break;
                default:
                    request = client.Requests.TopicData(data);
                    break;
            }

            yield return FuzzClient.Step(from, client.Prepare(from, request), pause);
        }
    }
}
