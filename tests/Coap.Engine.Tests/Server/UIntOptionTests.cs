using Coap.Engine.Protocol;
using Coap.Testing;

namespace Coap.Engine.Tests.Server;

/// <summary>
/// An unsigned-integer option longer than its definition allows, 5 bytes here (RFC 7252 §3.2: at most 4 for any):
/// critical → 4.02 Bad Option, elective → ignored as unrecognized (§5.4.1, §5.4.3); never read cut to its low bytes.
/// </summary>
public sealed class UIntOptionTests
{
    private static readonly byte[] FiveBytes = [1, 0, 0, 0, 0];

    [Theory]
    [InlineData(OptionNumber.UriPort)]
    [InlineData(OptionNumber.Accept)]
    public async Task A_critical_one_is_4_02(ushort number)
    {
        await using var server = new ServerFixture(t => t.Map("ok", TestResource.Text("ok")));
        var request = ServerFixture.Request(CoapCode.Get, "ok", 1);
        request.Options.Add(number, FiveBytes);

        server.Peer.Send(request);

        Assert.Equal(CoapCode.BadOption, server.Peer.Expect().Code);
    }

    [Theory]
    [InlineData(OptionNumber.ContentFormat)]
    [InlineData(OptionNumber.MaxAge)]
    [InlineData(OptionNumber.Observe)]
    [InlineData(OptionNumber.Size1)]
    [InlineData(OptionNumber.Size2)]
    [InlineData(OptionNumber.NoResponse)]
    public async Task An_elective_one_is_ignored(ushort number)
    {
        CoapMessage? seen = null;
        await using var server = new ServerFixture(t => t.Map("ok", new TestResource(c =>
        {
            seen = c.Request;
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
        })));
        var request = ServerFixture.Request(CoapCode.Put, "ok", 1);
        request.Options.Add(number, FiveBytes);
        request.Payload = new byte[] { 1, 2, 3 };

        server.Peer.Send(request);

        Assert.Equal(CoapCode.Changed, server.Peer.Expect().Code);
        Assert.False(seen!.Options.Contains(number));
    }

    [Fact]
    public async Task A_client_reads_a_response_option_longer_than_four_bytes_as_absent()
    {
        await using var server = new ServerFixture(t => t.Map("ok", new TestResource(_ =>
        {
            var response = CoapMessage.CreateResponse(CoapCode.Content, new byte[] { 1 });
            response.Options.Add(OptionNumber.MaxAge, new byte[] { 1, 0, 0, 0, 3 });
            response.Options.Add(OptionNumber.Size2, new byte[] { 2, 0, 0, 0, 9 });
            return ValueTask.FromResult(response);
        })));

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, "ok", 1));
        var reply = server.Peer.Expect();

        Assert.Null(reply.MaxAge);
        Assert.Null(reply.Options.GetUInt(OptionNumber.Size2));
    }
}
