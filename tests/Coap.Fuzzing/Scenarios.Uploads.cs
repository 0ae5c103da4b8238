using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// Block1 uploads (RFC 7959 §2.5) to the file service: finished, abandoned, out of order, and ones whose directory goes
/// away.
/// </summary>
internal static partial class Scenarios
{
    /// <summary>
    /// An upload of 0 to 5 blocks of one size to a file (streamed to disk by the file service), or to a topic's data,
    /// the topic collection or DoC (assembled in memory by the engine); now and then a block is skipped, repeated, sent
    /// with another SZX or from another peer, Size1 lies, or the upload is abandoned (left to expire after a pause past
    /// EXCHANGE_LIFETIME, or not).
    /// </summary>
    private static IEnumerable<FuzzStep> BlockUpload(FuzzClient client)
    {
        var random = client.Random;
        var peer = client.AnyPeer();
        var exponent = random.Next(7);
        var size = 1 << (exponent + 4);
        var body = random.Bytes(random.Pick<int>([0, size - 1, size, size + 1, (3 * size) + 5, random.Next(5 * size)]));
        var (method, path, format) = random.Next(10) switch
        {
            < 6 => (CoapCode.Put, Served.File(random.Pick(Served.Directories), random.Pick(Served.FileNames)), (int?)null),
            < 8 => (CoapCode.Put, [Served.PubSub, "data", client.Requests.DataId()], random.Pick<int?>([42, 0, null])),
            < 9 => (CoapCode.Post, [Served.PubSub], RequestFactory.ConfigurationFormat),
            _ => (CoapCode.Fetch, (string[])[Served.Dns], 553),
        };
        if (method == CoapCode.Post)
        {
            body = CborSamples.LargeTopic(random, body.Length);
        }
        var blocks = Math.Max(1, (body.Length + size - 1) / size);
        var abandonAt = random.Chance(0.4) ? random.Next(blocks) : -1;
        var token = client.NewToken();
        var ifNoneMatch = random.Chance(0.1);
        for (var number = 0; number < blocks; number++)
        {
            if (number == abandonAt)
            {
                if (random.Chance(0.5))
                {
                    yield return Step(client, peer, Get(path), PastLifetime);
                }

                yield break;
            }

            var sent = number;
            var sentExponent = exponent;
            var from = peer;
            switch (random.Next(40))
            {
                case 0:
                    sent = number + 1;
                    break;
                case 1:
                    sent = Math.Max(0, number - 1);
                    break;
                case 2:
                    sentExponent = random.Next(7);
                    break;
                case 3:
                    from = client.AnyPeer();
                    break;
            }

            var request = Block(path, body, sent, sentExponent);
            request.Code = method;
            request.ContentFormat = format;
            if (number == 0)
            {
                request.Options.Add(CoapOption.FromUInt(OptionNumber.Size1, random.Chance(0.9) ? (uint)body.Length : (uint)random.Next(int.MaxValue)));
            }

            if (ifNoneMatch)
            {
                request.Options.Add(CoapOption.Empty(OptionNumber.IfNoneMatch));
            }

            var blockToken = random.Chance(0.5) ? token : client.NewToken();
            client.Prepare(from, request, random.Chance(0.9) ? CoapMessageType.Confirmable : CoapMessageType.NonConfirmable, blockToken);
            yield return FuzzClient.Step(from, request);
            if (number < blocks - 1 && client.AnswerTo(from, blockToken) is { } answer && answer.Code != CoapCode.Continue)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The crash an external fuzzer found: a directory is made, an upload into it begins, the directory is deleted (by
    /// the same peer or another), and then the upload goes on: re-created directory, the next block, the last block,
    /// block 0 again, a file where the directory was, or nothing until the upload expires.
    /// </summary>
    private static IEnumerable<FuzzStep> UploadIntoVanishingDirectory(FuzzClient client)
    {
        var random = client.Random;
        var peer = client.AnyPeer();
        var directory = random.Pick<string[]>([["d0"], ["d1"], ["d0", "d2"]]);
        var path = Served.File(directory, random.Pick(Served.FileNames));
        var exponent = random.Next(3);
        var body = random.Bytes((3 << (exponent + 4)) + random.Next(10));
        var token = client.NewToken();
        yield return Step(client, peer, RequestFactory.Request(CoapCode.Put, Served.Directory(directory)));
        foreach (var number in Enumerable.Range(0, random.Next(1, 3)))
        {
            yield return Upload(client, peer, token, Block(path, body, number, exponent));
        }

        var deleter = random.Chance(0.7) ? peer : client.AnyPeer();
        yield return Step(client, deleter, RequestFactory.Request(CoapCode.Delete, Served.Directory(directory)));
        switch (random.Next(6))
        {
            case 0:
                yield return Step(client, peer, RequestFactory.Request(CoapCode.Put, Served.Directory(directory)));
                yield return Upload(client, peer, token, Block(path, body, 2, exponent));
                break;
            case 1:
                yield return Upload(client, peer, token, Block(path, body, 2, exponent));
                break;
            case 2:
                yield return Upload(client, peer, token, Block(path, body, 3, exponent));
                break;
            case 3:
                yield return Upload(client, peer, token, Block(path, body, 0, exponent));
                break;
            case 4:
                var file = RequestFactory.Request(CoapCode.Put, Served.File(directory[..^1], directory[^1]));
                file.Payload = new byte[] { 1 };
                yield return Step(client, peer, file);
                yield return Upload(client, peer, token, Block(path, body, 2, exponent));
                break;
            default:
                yield return Step(client, peer, Get(Served.Directory([])), PastLifetime);
                break;
        }
    }

    /// <summary>
    /// Block <paramref name="number"/> of <paramref name="body"/> in blocks of 2^(exponent + 4) bytes, M set unless it
    /// is the last.
    /// </summary>
    private static CoapMessage Block(string[] path, byte[] body, int number, int exponent)
    {
        var size = 1 << (exponent + 4);
        var offset = Math.Min(number * size, body.Length);
        var length = Math.Min(size, body.Length - offset);
        var request = RequestFactory.Request(CoapCode.Put, path);
        request.Payload = body.AsMemory(offset, length);
        request.Options.Add(new BlockValue(number, offset + length < body.Length, exponent).ToOption(OptionNumber.Block1));
        return request;
    }

    private static FuzzStep Upload(FuzzClient client, int peer, CoapToken token, CoapMessage block) =>
        FuzzClient.Step(peer, client.Prepare(peer, block, CoapMessageType.Confirmable, client.Random.Chance(0.7) ? token : client.NewToken()));

    private static FuzzStep Step(FuzzClient client, int peer, CoapMessage request, TimeSpan pause = default) =>
        FuzzClient.Step(peer, client.Prepare(peer, request), pause);
}
