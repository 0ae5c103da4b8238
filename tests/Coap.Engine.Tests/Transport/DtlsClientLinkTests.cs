using System.Net;
using Coap.Engine.Transport.Dtls;
using Coap.Testing;

namespace Coap.Engine.Tests.Transport;

/// <summary>
/// The queue BouncyCastle's DTLS client reads from: bounded, and throwing once closed, since a closed link that
/// returned -1 would keep BouncyCastle's receive loop spinning until its wait ran out.
/// </summary>
public sealed class DtlsClientLinkTests
{
    private static DtlsClientLink Link() =>
        new(new InMemoryTransport(new IPEndPoint(IPAddress.Loopback, 1)), new IPEndPoint(IPAddress.Loopback, 5684).Serialize());

    [Fact]
    public void Datagrams_come_out_in_order_and_an_empty_queue_answers_minus_one()
    {
        var link = Link();
        link.Enqueue([1, 2, 3]);
        link.Enqueue([4]);
        var buffer = new byte[16];

        Assert.Equal(3, link.Receive(buffer, 0, buffer.Length, 1));
        Assert.Equal(1, link.Receive(buffer, 0, buffer.Length, 1));
        Assert.Equal(4, buffer[0]);
        Assert.Equal(-1, link.Receive(buffer, 0, buffer.Length, 1));
        Assert.True(link.Answered);
    }

    [Fact]
    public void Receiving_after_close_throws_and_wakes_a_waiting_receiver()
    {
        var link = Link();
        var waiting = Task.Run(() => link.Receive(new byte[16], 0, 16, 0));

        link.Close();

        Assert.Throws<IOException>(() => waiting.GetAwaiter().GetResult());
        Assert.Throws<IOException>(() => link.Receive(new byte[16], 0, 16, 1));
    }

    [Fact]
    public void A_flood_is_cut_at_sixty_four_datagrams()
    {
        var link = Link();
        for (var i = 0; i < 1000; i++)
        {
            link.Enqueue(new byte[100]);
        }

        Assert.Equal(64, link.Pending);
    }
}
