using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using static Coap.Engine.Tests.Oscore.Rfc8613Vectors;

namespace Coap.Engine.Tests.Oscore;

/// <summary>
/// Hostile protected requests (RFC 8613 §8.2): each yields a failure the caller answers with 4.02, 4.01 or 4.00, never
/// an exception, and a request that fails is not marked seen.
/// </summary>
public sealed class UnprotectFailureTests
{
    private const string C4Protected = "44025d1f00003974396c6f63616c686f7374620914ff612f1092f1776f1c1668b3825e";

    [Theory]
    [InlineData("2914", OscoreFailure.MalformedOption)] // reserved flag bit
    [InlineData("0114", OscoreFailure.MalformedOption)] // a request without kid
    [InlineData("08", OscoreFailure.MalformedOption)] // a request without Partial IV
    [InlineData("", OscoreFailure.MalformedOption)] // empty option in a request
    [InlineData("091402", OscoreFailure.UnknownContext)] // kid 02: no such context
    [InlineData("0914000102030405060708", OscoreFailure.UnknownContext)] // kid longer than any ID can be
    [InlineData("191408ffffffffffffffff", OscoreFailure.UnknownContext)] // kid context no context has
    [InlineData("0dffffffffff", OscoreFailure.DecryptionFailed)] // the largest Partial IV, 2^40 - 1: decrypted and refused
    public void A_hostile_option_gets_its_failure(string optionHex, OscoreFailure expected)
    {
        var table = Table();
        var request = Decode(C4Protected);
        request.Options.Set(new CoapOption(OptionNumber.Oscore, Convert.FromHexString(optionHex)));

        var result = table.UnprotectRequest(request, out _, out _);

        Assert.Equal(expected, result.Failure);
        Assert.Null(result.Message);
    }

    [Fact]
    public void A_request_without_the_oscore_option_is_malformed_for_oscore()
    {
        var request = Decode(C4Protected);
        request.Options.Remove(OptionNumber.Oscore);

        Assert.Equal(OscoreFailure.MalformedOption, Table().UnprotectRequest(request, out _, out _).Failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void A_wrong_tag_or_ciphertext_fails_decryption_and_leaves_the_number_unused(int flipped)
    {
        var table = Table();
        var forged = Decode(C4Protected);
        var payload = forged.Payload.ToArray();
        payload[flipped] ^= 0x01;
        forged.Payload = payload;

        Assert.Equal(OscoreFailure.DecryptionFailed, table.UnprotectRequest(forged, out _, out _).Failure);
        Assert.Equal(OscoreFailure.None, table.UnprotectRequest(Decode(C4Protected), out _, out _).Failure);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0102030405060708")]
    public void A_ciphertext_shorter_than_a_tag_and_a_code_fails_decryption(string payloadHex)
    {
        var request = Decode(C4Protected);
        request.Payload = Convert.FromHexString(payloadHex);

        Assert.Equal(OscoreFailure.DecryptionFailed, Table().UnprotectRequest(request, out _, out _).Failure);
    }

    [Fact]
    public void A_replayed_request_is_refused_and_not_processed()
    {
        var table = Table();
        Assert.Equal(OscoreFailure.None, table.UnprotectRequest(Decode(C4Protected), out _, out _).Failure);

        var replay = table.UnprotectRequest(Decode(C4Protected), out _, out _);

        Assert.Equal(OscoreFailure.Replay, replay.Failure);
        Assert.Null(replay.Message);
    }

    [Fact]
    public void A_response_fails_cleanly_with_a_bad_option_a_foreign_kid_or_a_wrong_tag()
    {
        using var client = Context(C1Client, 20);
        Assert.Equal(OscoreFailure.None, client.ProtectRequest(Decode("44015d1f00003974396c6f63616c686f737483747631"), out _, out var binding));
        const string c7 = "64445d1f0000397490ffdbaad1e9a7e7b2a813d3c31524378303cdafae119106";

        var badOption = Decode(c7);
        badOption.Options.Set(new CoapOption(OptionNumber.Oscore, new byte[] { 0x07 }));
        var foreignKid = Decode(c7);
        foreignKid.Options.Set(new CoapOption(OptionNumber.Oscore, new byte[] { 0x08, 0x05 }));
        var wrongTag = Decode(c7);
        wrongTag.Payload = wrongTag.Payload.ToArray().Select((b, i) => i == 20 ? (byte)(b ^ 0x80) : b).ToArray();

        Assert.Equal(OscoreFailure.MalformedOption, client.UnprotectResponse(badOption, binding!).Failure);
        Assert.Equal(OscoreFailure.UnknownContext, client.UnprotectResponse(foreignKid, binding!).Failure);
        Assert.Equal(OscoreFailure.DecryptionFailed, client.UnprotectResponse(wrongTag, binding!).Failure);
    }

    [Fact]
    public void Random_options_and_payloads_never_throw_and_never_verify()
    {
        var table = Table();
        var random = new Random(17);
        for (var i = 0; i < 20_000; i++)
        {
            var request = Decode(C4Protected);
            var option = new byte[random.Next(0, 14)];
            random.NextBytes(option);
            if (random.Next(2) == 0 && option.Length > 0)
            {
                option[0] &= 0x1F; // mostly well-formed flags, so the decryption path is reached too
            }

            var payload = new byte[random.Next(0, 40)];
            random.NextBytes(payload);
            request.Options.Set(new CoapOption(OptionNumber.Oscore, option));
            request.Payload = payload;

            Assert.NotEqual(OscoreFailure.None, table.UnprotectRequest(request, out _, out _).Failure);
        }
    }

    [Theory]
    [InlineData(OscoreFailure.MalformedOption, "4.02", "Bad OSCORE option")]
    [InlineData(OscoreFailure.UnknownContext, "4.01", "Security context not found")]
    [InlineData(OscoreFailure.Replay, "4.01", "Replay detected")]
    [InlineData(OscoreFailure.DecryptionFailed, "4.00", "Decryption failed")]
    [InlineData(OscoreFailure.MalformedPlaintext, "4.00", "Malformed protected message")]
    public void Failures_map_to_the_unprotected_error_responses_of_section_8_2(OscoreFailure failure, string code, string diagnostic)
    {
        var response = failure.ToErrorResponse();

        Assert.Equal(code, response.Code.ToString());
        Assert.Equal(diagnostic, System.Text.Encoding.UTF8.GetString(response.Payload.Span));
        Assert.Equal(0u, response.MaxAge);
        Assert.False(response.Options.Contains(OptionNumber.Oscore));
    }

    private static OscoreContextTable Table()
    {
        var table = new OscoreContextTable();
        table.Add("client", new OscoreSecurityContext(C1Server));
        return table;
    }
}
