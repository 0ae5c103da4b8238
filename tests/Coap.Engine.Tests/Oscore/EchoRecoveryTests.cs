using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using static Coap.Engine.Tests.Oscore.Rfc8613Vectors;

namespace Coap.Engine.Tests.Oscore;

/// <summary>
/// RFC 8613 §B.1.2: a server restarted with an unknown replay window answers a request it cannot judge with a protected
/// 4.01 carrying Echo, does not process it, and accepts the client's repetition with that Echo; the window then starts
/// at that request, so the first one replayed is refused.
/// </summary>
public sealed class EchoRecoveryTests
{
    [Fact]
    public void A_restarted_server_recovers_its_replay_window_through_echo()
    {
        var store = new SequencePersistenceTests.RecordingStore();
        using var server = new OscoreSecurityContext(C1Server, new OscoreSequenceState(300, null), store);
        using var client = Context(C1Client, 40);
        Assert.False(server.ReplayWindowKnown);

        var first = Protect(client, CoapMessage.CreateRequest(CoapCode.Put, "/lamp"), out var firstBinding);
        var refused = server.UnprotectRequest(Copy(first), Option(first));

        Assert.Equal(OscoreFailure.EchoRequired, refused.Failure);
        Assert.Null(refused.Message);
        Assert.Equal(OscoreFailure.None, server.CreateEchoChallenge(refused.Binding!, out var challenge));
        Assert.Equal(CoapCode.Changed, challenge!.Code);
        var answer = client.UnprotectResponse(Copy(challenge), firstBinding);
        Assert.Equal(CoapCode.Unauthorized, answer.Message!.Code);
        Assert.True(answer.PartialIv >= 300, "the challenge must carry the server's own Partial IV, from the saved bound on");
        Assert.True(answer.Message.Options.TryGet(OptionNumber.Echo, out var echo));

        var repeated = CoapMessage.CreateRequest(CoapCode.Put, "/lamp");
        repeated.Options.Add(echo);
        var second = Protect(client, repeated, out _);
        var accepted = server.UnprotectRequest(Copy(second), Option(second));

        Assert.Equal(OscoreFailure.None, accepted.Failure);
        Assert.True(server.ReplayWindowKnown);
        Assert.Equal(OscoreFailure.Replay, server.UnprotectRequest(Copy(first), Option(first)).Failure);
        Assert.Equal(OscoreFailure.Replay, server.UnprotectRequest(Copy(second), Option(second)).Failure);
    }

    [Fact]
    public void A_wrong_echo_value_is_challenged_again()
    {
        using var server = new OscoreSecurityContext(C1Server, new OscoreSequenceState(0, null));
        using var client = Context(C1Client, 0);
        var request = CoapMessage.CreateRequest(CoapCode.Get, "/x");
        request.Options.Add(new CoapOption(OptionNumber.Echo, new byte[8]));
        var protectedRequest = Protect(client, request, out _);

        Assert.Equal(OscoreFailure.EchoRequired, server.UnprotectRequest(Copy(protectedRequest), Option(protectedRequest)).Failure);
        Assert.False(server.ReplayWindowKnown);
    }

    [Fact]
    public void The_first_request_after_loading_a_known_window_stores_unknown_before_it_is_accepted()
    {
        var store = new SequencePersistenceTests.RecordingStore();
        using var server = new OscoreSecurityContext(C1Server, new OscoreSequenceState(10, new OscoreWindowState(0, 0)), store);
        using var client = Context(C1Client, 0);
        var protectedRequest = Protect(client, CoapMessage.CreateRequest(CoapCode.Get, "/x"), out _);

        Assert.Equal(OscoreFailure.None, server.UnprotectRequest(Copy(protectedRequest), Option(protectedRequest)).Failure);

        Assert.Equal([new OscoreSequenceState(10, null)], store.Saved);
    }

    [Fact]
    public void A_request_is_refused_when_the_unknown_marker_cannot_be_stored()
    {
        var store = new SequencePersistenceTests.RecordingStore { Fail = true };
        using var server = new OscoreSecurityContext(C1Server, new OscoreSequenceState(10, new OscoreWindowState(0, 0)), store);
        using var client = Context(C1Client, 0);
        var protectedRequest = Protect(client, CoapMessage.CreateRequest(CoapCode.Get, "/x"), out _);

        var result = server.UnprotectRequest(Copy(protectedRequest), Option(protectedRequest));

        Assert.Equal(OscoreFailure.StateNotSaved, result.Failure);
        Assert.Equal(CoapCode.InternalServerError, result.Failure.ResponseCode());
    }

    private static CoapMessage Protect(OscoreSecurityContext client, CoapMessage plain, out OscoreRequestBinding binding)
    {
        Assert.Equal(OscoreFailure.None, client.ProtectRequest(plain, out var protectedRequest, out var made));
        binding = made!;
        return protectedRequest!;
    }

    private static CoapMessage Copy(CoapMessage message) => Decode(Encode(message));

    private static OscoreOptionValue Option(CoapMessage message) => MessageVectorTests.Option(Encode(message));
}
