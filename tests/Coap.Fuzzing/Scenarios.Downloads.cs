using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// Block2 downloads (RFC 7959 §2.4): files, listings, discovery, the topic list and large DNS answers, read block by
/// block.
/// </summary>
internal static partial class Scenarios
{
    /// <summary>
    /// Reads a representation block by block until the last one or a random stop; now and then the SZX changes midway,
    /// a block number jumps far ahead, or the file is rewritten between two blocks. A DNS answer is asked for with the
    /// same FETCH body each time, and then once more with its ETag.
    /// </summary>
    private static IEnumerable<FuzzStep> BlockDownload(FuzzClient client)
    {
        var random = client.Random;
        var peer = client.AnyPeer();
        var file = Served.File(random.Pick(Served.Directories), random.Pick(Served.FileNames));
        var kind = random.Next(5);
        if (kind == 0)
        {
            var write = RequestFactory.Request(CoapCode.Put, file);
            write.Payload = random.Bytes(random.Next(3000));
            yield return FuzzClient.Step(peer, client.Prepare(peer, write, CoapMessageType.Confirmable));
        }

        var query = DnsQueries.Build(0, random.Chance(0.7) ? "big.example.com" : random.Pick(DnsQueries.Names), 1);
        var exponent = random.Next(7);
        byte[]? tag = null;
        for (var number = 0; number < 64; number++)
        {
            var request = kind switch
            {
                0 => Get(file),
                1 => Get(Served.Directory(random.Pick(Served.Directories))),
                2 => Get([".well-known", "core"]),
                3 => Get([Served.PubSub]),
                _ => RequestFactory.Request(CoapCode.Fetch, [Served.Dns]),
            };
            if (kind == 4)
            {
                request.Payload = query;
                request.ContentFormat = 553;
            }

            switch (random.Next(30))
            {
                case 0:
                    exponent = random.Next(7);
                    break;
                case 1:
                    number += random.Pick<int>([2, 1000, (1 << 20) - 2]);
                    break;
            }

            request.Options.Add(new BlockValue(Math.Min(number, BlockValue.MaxNumber), false, exponent).ToOption(OptionNumber.Block2));
            client.Prepare(peer, request, CoapMessageType.Confirmable);
            yield return FuzzClient.Step(peer, request);
            var answer = client.AnswerTo(peer, request.Token);
            if (answer?.Options.TryGet(OptionNumber.ETag, out var etag) == true)
            {
                tag = etag.Value.ToArray();
            }

            if (answer is null || answer.Code != CoapCode.Content || !answer.Options.TryGet(OptionNumber.Block2, out var block)
                || !BlockValue.TryDecode(block.Value.Span, out var value) || !value.More || random.Chance(0.1))
            {
                break;
            }

            if (kind == 0 && random.Chance(0.05))
            {
                var rewrite = RequestFactory.Request(CoapCode.Put, file);
                rewrite.Payload = random.Bytes(random.Next(3000));
                yield return FuzzClient.Step(peer, client.Prepare(peer, rewrite));
            }
        }

        if (kind == 4 && tag is not null)
        {
            var again = RequestFactory.Request(CoapCode.Fetch, [Served.Dns]);
            again.Payload = query;
            again.ContentFormat = 553;
            again.Options.Add(OptionNumber.ETag, tag);
            yield return FuzzClient.Step(peer, client.Prepare(peer, again));
        }
    }
}
