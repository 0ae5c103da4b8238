using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Engine.Tests.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Messaging;

public sealed class HostileInputTests
{
    [Fact]
    public async Task Ten_thousand_random_and_mutated_datagrams_leave_the_server_answering()
    {
        await using var server = new ServerFixture(t => t.Map("ok", TestResource.Text("ok")));
        var random = new Random(20261122);
        var valid = CoapMessageWriter.ToArray(ServerFixture.Request(CoapCode.Get, "ok", 1));
        var replies = 0;

        for (var i = 0; i < 10_000; i++)
        {
            byte[] datagram;
            if (i % 2 == 0)
            {
                datagram = new byte[random.Next(0, 64)];
                random.NextBytes(datagram);
            }
            else
            {
                datagram = (byte[])valid.Clone();
                var flips = random.Next(1, 4);
                for (var f = 0; f < flips; f++)
                {
                    datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                }

                datagram = datagram[..random.Next(1, datagram.Length + 1)];
            }

            server.Peer.SendRaw(datagram);
            while (server.Transport.TryTake(out var sent))
            {
                Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(sent!.Bytes, out _));
                replies++;
            }
        }

        var fresh = new LockstepPeer(server.Transport, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40999));
        fresh.Send(ServerFixture.Request(CoapCode.Get, "ok", 0xFFFE, token: 0xBEEF));
        var answer = fresh.Expect();
        Assert.Equal(CoapCode.Content, answer.Code);
        Assert.Equal(0xFFFE, answer.MessageId);
        Assert.True(replies > 100, $"only {replies} replies to 10 000 datagrams");
    }

    [Fact]
    public async Task Two_publications_under_one_ID_and_token_with_payloads_of_one_length_both_reach_the_handler()
    {
        var received = new List<string>();
        await using var server = new ServerFixture(t => t.Map("data", new TestResource(c =>
        {
            received.Add(System.Text.Encoding.UTF8.GetString(c.Request.Payload.Span));
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
        })));

        foreach (var value in new[] { "21.5", "21.5", "22.0" })
        {
            var publication = ServerFixture.Request(CoapCode.Put, "data", 7, CoapMessageType.NonConfirmable);
            publication.Payload = System.Text.Encoding.UTF8.GetBytes(value);
            server.Peer.Send(publication);
        }

        Assert.Equal(["21.5", "22.0"], received);
    }
}
