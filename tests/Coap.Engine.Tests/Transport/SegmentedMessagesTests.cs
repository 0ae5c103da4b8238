using System.Net;
using System.Net.Sockets;
using Coap.Engine.Transport;
using static Coap.Engine.Tests.Transport.DatagramPeers;

namespace Coap.Engine.Tests.Transport;

/// <summary>
/// <see cref="SegmentedMessages"/>: a send batch's datagrams of one length for one peer become one UDP_SEGMENT message
/// (the kernel splits it back into them), in their order; a longer one for that peer starts a message of its own
/// after them, a shorter one ends the message it joins; the other peers' datagrams keep their own order. Through a real
/// socket every datagram arrives as it was sent, and a socket that refuses segmented messages gets each datagram
/// on its own.
/// </summary>
public sealed class SegmentedMessagesTests
{
    [Fact]
    public unsafe void Datagrams_of_one_length_for_one_peer_become_one_message_whatever_lies_between()
    {
        var room = new MessageHeaders(8, 4096);
        var entries = Entries(room, [(1, 100), (2, 30), (1, 100), (2, 30), (1, 100), (2, 31), (2, 30)]);
        var messages = new SegmentedMessages(8);

        var count = messages.Build(entries, 7, segment: true);

        Assert.Equal(
            ["peer 1: 0 2 4 as 100", "peer 2: 1 3 as 30", "peer 2: 5 6 as 31"],
            Describe(messages, count, entries, 7));
    }

    [Fact]
    public unsafe void A_shorter_datagram_ends_the_message_and_a_longer_one_starts_the_next()
    {
        var room = new MessageHeaders(8, 4096);
        var entries = Entries(room, [(1, 100), (1, 100), (1, 40), (1, 100), (1, 200), (1, 200)]);
        var messages = new SegmentedMessages(8);

        var count = messages.Build(entries, 6, segment: true);

        Assert.Equal(
            ["peer 1: 0 1 2 as 100", "peer 1: 3", "peer 1: 4 5 as 200"],
            Describe(messages, count, entries, 6));
    }

    [Fact]
    public unsafe void Without_segmentation_every_datagram_is_a_message_in_the_order_added()
    {
        var room = new MessageHeaders(4, 4096);
        var entries = Entries(room, [(1, 100), (2, 100), (1, 100), (1, 100)]);
        var messages = new SegmentedMessages(4);

        var count = messages.Build(entries, 4, segment: false);

        Assert.Equal(
            ["peer 1: 0", "peer 2: 1", "peer 1: 2", "peer 1: 3"],
            Describe(messages, count, entries, 4));
    }

    [Fact]
    public async Task Through_a_socket_each_peer_gets_every_datagram_in_order_as_a_datagram_of_its_own()
    {
        Assert.True(LinuxMessages.Supported, "the server runs on 64-bit Linux, where sendmmsg batches");
        await using var transport = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var even = Peer();
        using var odd = Peer();
        var sent = Enumerable.Range(0, 30).Select(i => Datagram(i, i % 2 == 0 ? 1100 : 10 + i)).ToArray();

        using (SendBatch.Open())
        {
            for (var i = 0; i < sent.Length; i++)
            {
                transport.Send(sent[i], Address(i % 2 == 0 ? even : odd));
            }
        }

        Assert.Equal(sent.Where((_, i) => i % 2 == 0), await ReceiveAsync(even, 15));
        Assert.Equal(sent.Where((_, i) => i % 2 == 1), await ReceiveAsync(odd, 15));
        Assert.True(transport.Segments);
    }

    [Fact]
    public async Task A_socket_that_refuses_segmented_messages_sends_each_datagram_alone_from_then_on()
    {
        await using var transport = UdpTransport.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // Without UDP checksums (SO_NO_CHECK) the kernel refuses a segmented message with EINVAL.
        transport.Socket.SetRawSocketOption(1, 11, BitConverter.GetBytes(1));
        using var peer = Peer();
        var sent = Enumerable.Range(0, 20).Select(i => Datagram(i, 500)).ToArray();

        using (SendBatch.Open())
        {
            foreach (var datagram in sent)
            {
                transport.Send(datagram, Address(peer));
            }
        }

        Assert.Equal(sent, await ReceiveAsync(peer, sent.Length));
        Assert.False(transport.Segments);
    }

    /// <summary>Entries as a send batch holds them: peer <c>n</c> is 127.0.0.n:5683, each datagram its index in its first byte.</summary>
    private static unsafe LinuxMessages.MessageHeader* Entries(MessageHeaders room, (int Peer, int Length)[] datagrams)
    {
        var used = 0;
        for (var i = 0; i < datagrams.Length; i++)
        {
            var (peer, length) = datagrams[i];
            var header = room.Headers + i;
            room.Data[used] = (byte)i;
            header->Vectors->Base = room.Data + used;
            header->Vectors->Length = (nuint)length;
            var address = new IPEndPoint(new IPAddress([127, 0, 0, (byte)peer]), 5683).Serialize();
            address.Buffer.Span[..address.Size].CopyTo(new Span<byte>(header->Name, address.Size));
            header->NameLength = (uint)address.Size;
            used += length;
        }

        return room.Headers;
    }

    /// <summary>Each message as "peer P: the indexes of its datagrams", with "as S" for the segment size its control message names.</summary>
    private static unsafe List<string> Describe(SegmentedMessages messages, int count, LinuxMessages.MessageHeader* entries, int entryCount)
    {
        var described = new List<string>();
        var datagrams = 0;
        for (var m = 0; m < count; m++)
        {
            var message = messages.Headers + m;
            var indexes = new int[(int)message->VectorCount];
            for (var v = 0; v < indexes.Length; v++)
            {
                indexes[v] = message->Vectors[v].Base[0];
                Assert.Equal(entries[indexes[v]].Vectors->Length, message->Vectors[v].Length);
            }

            var segmentSize = message->Control == null ? 0 : *(ushort*)((byte*)message->Control + 16);
            Assert.Equal(message->Control == null ? 0u : 24u, (uint)message->ControlLength);
            described.Add($"peer {message->Name[7]}: {string.Join(' ', indexes)}{(segmentSize > 0 ? $" as {segmentSize}" : "")}");
            datagrams += indexes.Length;
        }

        Assert.Equal(entryCount, datagrams);
        return described;
    }
}
