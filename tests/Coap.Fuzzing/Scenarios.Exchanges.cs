using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// Message IDs and tokens used more than once (RFC 7252 §4.4, §4.5, §5.3.1), on purpose or as a retransmission.
/// </summary>
internal static partial class Scenarios
{
    /// <summary>
    /// One message ID twice: a NON then a CON, a CON then a NON, a CON retransmitted, a CON then another request, the
    /// same after a pause past EXCHANGE_LIFETIME, or an ACK from the peer for its own CON.
    /// </summary>
    private static IEnumerable<FuzzStep> MessageIdReuse(FuzzClient client)
    {
        var random = client.Random;
        var peer = client.AnyPeer();
        var messageId = client.NextMessageId(peer);
        var first = client.Requests.Any();
        var variant = random.Next(6);
        var firstType = variant == 0 ? CoapMessageType.NonConfirmable : CoapMessageType.Confirmable;
        client.Prepare(peer, first, firstType, messageId: messageId);
        var bytes = CoapMessageWriter.ToArray(first);
        yield return new FuzzStep(peer, bytes);
        switch (variant)
        {
            case 0:
            case 1:
                first.Type = variant == 0 ? CoapMessageType.Confirmable : CoapMessageType.NonConfirmable;
                yield return FuzzClient.Step(peer, first);
                break;
            case 2:
                yield return new FuzzStep(peer, bytes, random.Chance(0.5) ? TimeSpan.FromMilliseconds(random.Next(100, 2500)) : TimeSpan.Zero);
                break;
            case 3:
                yield return FuzzClient.Step(peer, client.Prepare(peer, client.Requests.Any(), CoapMessageType.Confirmable, messageId: messageId));
                break;
            case 4:
                yield return FuzzClient.Step(peer, client.Prepare(peer, client.Requests.Any(), CoapMessageType.Confirmable, messageId: messageId), PastLifetime);
                break;
            default:
                yield return FuzzClient.Step(peer, CoapMessage.CreateEmpty(random.Chance(0.5) ? CoapMessageType.Acknowledgement : CoapMessageType.Reset, messageId));
                break;
        }
    }

    /// <summary>
    /// One token on several requests at once: two resources one after the other, two Observe registrations on
    /// different resources, two uploads, or the same token from two peers.
    /// </summary>
    private static IEnumerable<FuzzStep> TokenReuse(FuzzClient client)
    {
        var random = client.Random;
        var peer = client.AnyPeer();
        var token = client.NewToken();
        var count = random.Next(2, 5);
        var variant = random.Next(4);
        for (var i = 0; i < count; i++)
        {
            var request = variant switch
            {
                1 => Observable(client),
                2 => Block(Served.File(random.Pick(Served.Directories), random.Pick(Served.FileNames)), random.Bytes(40), i % 2, 0),
                _ => client.Requests.Any(),
            };
            var from = variant == 3 ? client.AnyPeer() : peer;
            yield return FuzzClient.Step(from, client.Prepare(from, request, token: token));
        }
    }
}
