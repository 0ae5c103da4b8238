using System.Net;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>The whole answers kept for block-wise transfers: per client, bounded in bytes and time.</summary>
public sealed class TransferBodiesTests
{
    private static readonly IPEndPoint Alice = new(IPAddress.Loopback, 40001);
    private static readonly IPEndPoint Bob = new(IPAddress.Loopback, 40002);

    private static CoapMessage Answer(int size) => CoapMessage.CreateResponse(CoapCode.Content, new byte[size]);

    private static CoapMessage Block(int number, int size = 1024)
    {
        var request = new CoapMessage { Code = CoapCode.Get };
        request.Options.Add(new BlockValue(number, false, BlockValue.ExponentFor(size)).ToOption(OptionNumber.Block2));
        return request;
    }

    [Fact]
    public void A_kept_answer_serves_its_client_s_later_blocks_only_until_the_last_one()
    {
        var transfers = new TransferBodies(1 << 20, TimeSpan.FromMinutes(1), new FakeTimeProvider());
        transfers.Keep(Alice, "k", Answer(3000));

        Assert.Null(transfers.Find(Bob, "k", Block(1)));
        Assert.Null(transfers.Find(Alice, "k", Block(0)));
        Assert.Equal(3000, transfers.Find(Alice, "k", Block(1))!.Payload.Length);
        Assert.NotNull(transfers.Find(Alice, "k", Block(2)));
        Assert.Null(transfers.Find(Alice, "k", Block(2)));
        Assert.Equal(0, transfers.Bytes);
    }

    [Fact]
    public void Kept_answers_expire_and_the_oldest_go_beyond_the_byte_bound()
    {
        var time = new FakeTimeProvider();
        var transfers = new TransferBodies(10_000, TimeSpan.FromSeconds(30), time);
        transfers.Keep(Alice, "a", Answer(4000));
        transfers.Keep(Alice, "b", Answer(4000));
        transfers.Keep(Bob, "c", Answer(4000));

        Assert.Null(transfers.Find(Alice, "a", Block(1)));
        Assert.NotNull(transfers.Find(Alice, "b", Block(1)));
        Assert.InRange(transfers.Bytes, 8000, 10_000);

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(transfers.Find(Bob, "c", Block(1)));

        transfers.Keep(Bob, "huge", Answer(20_000));
        Assert.Null(transfers.Find(Bob, "huge", Block(1)));
    }

    [Fact]
    public void Out_of_range_transfer_bounds_are_refused_with_their_keys()
    {
        var result = new ProxyOptionsValidator().Validate(null, new ProxyOptions { TransferBytes = -1, TransferLifetime = TimeSpan.Zero });

        Assert.Contains("Modules:Proxy:TransferBytes", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Modules:Proxy:TransferLifetime", result.FailureMessage, StringComparison.Ordinal);
    }
}
