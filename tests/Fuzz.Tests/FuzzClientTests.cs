using System.Text;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Fuzzing;

namespace Fuzz.Tests;

/// <summary>
/// The fuzzer's checks fire: each wrong answer a server could give is reported, with the request that drew it.
/// </summary>
public sealed class FuzzClientTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_seed_gives_the_same_datagrams()
    {
        var first = new FuzzClient(5, 3, () => Now);
        var second = new FuzzClient(5, 3, () => Now);

        for (var i = 0; i < 2000; i++)
        {
            var a = first.Next();
            var b = second.Next();
            Assert.Equal(a.Peer, b.Peer);
            Assert.Equal(a.Bytes, b.Bytes);
            Assert.Equal(a.AdvanceBefore, b.AdvanceBefore);
        }
    }

    [Fact]
    public void A_con_without_ack_or_rst_is_reported_with_its_datagram()
    {
        var client = new FuzzClient(5, 1, () => Now);
        var (datagram, _) = NextConfirmableRequest(client);

        client.ReportUnanswered();

        var finding = Assert.Single(client.Findings.All);
        Assert.Equal(Findings.Unanswered, finding.Kind);
        Assert.Equal(Convert.ToHexStringLower(datagram), finding.FirstDatagramHex);
    }

    [Fact]
    public void An_empty_ack_answers_a_con()
    {
        var client = new FuzzClient(5, 1, () => Now);
        var (_, request) = NextConfirmableRequest(client);

        client.Receive(0, CoapMessageWriter.ToArray(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, request.MessageId)));
        client.ReportUnanswered();

        Assert.Empty(client.Findings.All);
    }

    [Fact]
    public void A_5_00_is_reported_with_the_request_that_drew_it()
    {
        var client = new FuzzClient(5, 1, () => Now);
        var (datagram, request) = NextConfirmableRequest(client);

        client.Receive(0, Piggybacked(request, CoapCode.InternalServerError, request.Token));

        var finding = Assert.Single(client.Findings.All);
        Assert.Equal(Findings.InternalServerError, finding.Kind);
        Assert.Equal(Convert.ToHexStringLower(datagram), finding.FirstDatagramHex);
    }

    [Fact]
    public void A_piggybacked_answer_with_another_token_is_reported()
    {
        var client = new FuzzClient(5, 1, () => Now);
        var (_, request) = NextConfirmableRequest(client);

        client.Receive(0, Piggybacked(request, CoapCode.Content, CoapToken.FromUInt64(0xDEAD_BEEF_0BAD_F00D, 8)));

        Assert.Equal(Findings.TokenMismatch, Assert.Single(client.Findings.All).Kind);
    }

    [Fact]
    public void A_malformed_datagram_an_unknown_token_and_an_ack_for_nothing_are_reported()
    {
        var client = new FuzzClient(5, 1, () => Now);
        var (_, request) = NextConfirmableRequest(client);
        var stranger = CoapMessage.CreateResponse(CoapCode.Content);
        stranger.Type = CoapMessageType.NonConfirmable;
        stranger.Token = CoapToken.FromUInt64(0xDEAD_BEEF_0BAD_F00D, 8);

        client.Receive(0, Convert.FromHexString("4f45000100"));
        client.Receive(0, CoapMessageWriter.ToArray(stranger));
        client.Receive(0, CoapMessageWriter.ToArray(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, (ushort)(request.MessageId + 30000))));

        Assert.Equal(
            new[] { Findings.MalformedResponse, Findings.UnknownToken, Findings.StrayAcknowledgement }.Order(StringComparer.Ordinal),
            client.Findings.All.Select(f => f.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_diagnostic_over_128_bytes_is_reported_and_the_server_con_gets_an_ack_or_rst()
    {
        var client = new FuzzClient(5, 1, () => Now);
        var (_, request) = NextConfirmableRequest(client);
        var separate = CoapMessage.CreateResponse(CoapCode.NotFound, Encoding.UTF8.GetBytes(new string('x', 129)));
        separate.Type = CoapMessageType.Confirmable;
        separate.MessageId = 777;
        separate.Token = request.Token;

        var reply = client.Receive(0, CoapMessageWriter.ToArray(separate));

        Assert.Equal(Findings.LongDiagnostic, Assert.Single(client.Findings.All).Kind);
        Assert.True(reply is null || (CoapHeader.TryRead(reply, out var header) && header.MessageId == 777 && header.Code.IsEmpty));
    }

    [Fact]
    public void Answers_that_break_the_promises_of_their_options_are_reported()
    {
        var client = new FuzzClient(5, 1, () => Now);
        var (_, request) = NextConfirmableRequest(client);
        var answer = CoapMessage.CreateResponse(CoapCode.Continue, new byte[20]);
        answer.Type = CoapMessageType.NonConfirmable;
        answer.MessageId = 778;
        answer.Token = request.Token;
        answer.Options.Add(OptionNumber.ETag, new byte[9]);
        answer.Options.Add(new BlockValue(0, true, 0).ToOption(OptionNumber.Block2));

        client.Receive(0, CoapMessageWriter.ToArray(answer));

        Assert.Equal(
            new[] { Findings.ContinueWithoutBlock1, Findings.BadETag, Findings.MisfitBlock }.Order(StringComparer.Ordinal),
            client.Findings.All.Select(f => f.Kind).Order(StringComparer.Ordinal));
    }

    /// <summary>Draws datagrams until one is a well-formed CON request; returns it encoded and decoded.</summary>
    private static (byte[] Datagram, CoapMessage Request) NextConfirmableRequest(FuzzClient client)
    {
        while (true)
        {
            var datagram = client.Next();
            if (CoapMessageReader.TryRead(datagram.Bytes, out var message) == CoapDecodeError.None
                && message!.Type == CoapMessageType.Confirmable && message.IsRequest)
            {
                return (datagram.Bytes, message);
            }

            if (CoapHeader.TryRead(datagram.Bytes, out var header) && header.Version == CoapMessage.Version && header.Type == CoapMessageType.Confirmable)
            {
                client.Receive(0, CoapMessageWriter.ToArray(CoapMessage.CreateEmpty(CoapMessageType.Reset, header.MessageId)));
            }
        }
    }

    private static byte[] Piggybacked(CoapMessage request, CoapCode code, CoapToken token)
    {
        var response = CoapMessage.CreateResponse(code);
        response.Type = CoapMessageType.Acknowledgement;
        response.MessageId = request.MessageId;
        response.Token = token;
        return CoapMessageWriter.ToArray(response);
    }
}
