using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// Observe (RFC 7641): registrations and deregistrations in bulk while the observed state changes and the clock runs.
/// </summary>
internal static partial class Scenarios
{
    /// <summary>
    /// 3 to 15 registrations on the time, files, directories and topic data (and on resources that are not observable),
    /// some tokens used twice, some registrations taken back with Observe 1 or renewed, publications, writes and clock
    /// ticks in between so notifications flow (and the peer ACKs, ignores or resets them).
    /// </summary>
    private static IEnumerable<FuzzStep> ObserveStorm(FuzzClient client)
    {
        var random = client.Random;
        var registered = new List<(int Peer, CoapToken Token, CoapMessage Request)>();
        for (var count = random.Next(3, 16); count > 0; count--)
        {
            var peer = client.AnyPeer();
            switch (random.Next(10))
            {
                case < 5:
                    var token = registered.Count > 0 && random.Chance(0.2) ? random.Pick(registered).Token : client.NewToken();
                    var request = client.Prepare(peer, Observable(client), token: token);
                    registered.Add((peer, token, request));
                    yield return FuzzClient.Step(peer, request, random.Chance(0.3) ? TimeSpan.FromMilliseconds(random.Next(200, 2100)) : TimeSpan.Zero);
                    break;
                case < 7 when registered.Count > 0:
                    var (owner, held, original) = random.Pick(registered);
                    var again = RequestFactory.Request(CoapCode.Get, [.. original.GetUriPathSegments()]);
                    again.Observe = random.Chance(0.7) ? 1 : 0;
                    yield return FuzzClient.Step(owner, client.Prepare(owner, again, token: held));
                    break;
                case 7:
                    var data = RequestFactory.Request(CoapCode.Put, [Served.PubSub, "data", client.Requests.DataId()]);
                    client.Requests.Publication(data);
                    yield return FuzzClient.Step(peer, client.Prepare(peer, data));
                    break;
                case 8:
                    var write = RequestFactory.Request(CoapCode.Put, Served.File(random.Pick(Served.Directories), random.Pick(Served.FileNames)));
                    write.Payload = random.Bytes(random.Next(40));
                    yield return FuzzClient.Step(peer, client.Prepare(peer, write), TimeSpan.FromMilliseconds(random.Next(300)));
                    break;
                default:
                    yield return FuzzClient.Step(peer, client.Prepare(peer, client.Requests.Time()), TimeSpan.FromMilliseconds(random.Next(1000, 2100)));
                    break;
            }
        }
    }

    /// <summary>A GET with Observe 0 on something observable, or now and then on something that is not.</summary>
    private static CoapMessage Observable(FuzzClient client)
    {
        var random = client.Random;
        string[] path = random.Next(10) switch
        {
            < 3 => [Served.Time],
            < 5 => Served.File(random.Pick(Served.Directories), random.Pick(Served.FileNames)),
            < 6 => Served.Directory(random.Pick(Served.Directories)),
            < 9 => [Served.PubSub, "data", client.Requests.DataId()],
            _ => random.Pick<string[]>([[Served.Dns], [".well-known", "core"], [Served.PubSub]]),
        };
        var request = Get(path);
        request.Observe = 0;
        if (random.Chance(0.15))
        {
            request.Options.Add(new BlockValue(0, false, random.Next(7)).ToOption(OptionNumber.Block2));
        }

        if (path[0] == Served.Time && random.Chance(0.3))
        {
            request.Accept = random.Chance(0.5) ? 0 : 60;
        }

        return request;
    }
}
