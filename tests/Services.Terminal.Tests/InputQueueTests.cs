using Services.Terminal.Sessions;

namespace Services.Terminal.Tests;

public sealed class InputQueueTests
{
    [Fact]
    public void A_resent_pair_skips_the_bytes_already_received()
    {
        var queue = new InputQueue(16);

        Assert.Equal(InputOutcome.Accepted, queue.Enqueue(0, "abc"u8));
        Assert.Equal(InputOutcome.Accepted, queue.Enqueue(0, "abc"u8));
        Assert.Equal(InputOutcome.Accepted, queue.Enqueue(2, "cde"u8));
        Assert.Equal(InputOutcome.Gap, queue.Enqueue(9, "z"u8));

        var read = new byte[16];
        Assert.Equal("abcde"u8.ToArray(), read[..queue.Peek(read)]);
        Assert.Equal(5, queue.Next);
    }

    [Fact]
    public void Input_that_does_not_fit_is_refused_whole_until_the_queue_drains()
    {
        var queue = new InputQueue(4);
        queue.Enqueue(null, "abc"u8);

        Assert.Equal(InputOutcome.Full, queue.Enqueue(null, "de"u8));
        queue.Consume(2);
        Assert.Equal(InputOutcome.Accepted, queue.Enqueue(null, "def"u8));

        var read = new byte[8];
        Assert.Equal("cdef"u8.ToArray(), read[..queue.Peek(read)]);
        Assert.Equal(6, queue.Next);
    }

    [Fact]
    public void A_pair_is_taken_as_far_as_there_is_room_and_refused_only_when_the_queue_is_full()
    {
        var queue = new InputQueue(4);

        Assert.Equal(InputOutcome.Accepted, queue.Enqueue(0, "abcdef"u8));
        Assert.Equal(4, queue.Next);
        Assert.Equal(InputOutcome.Full, queue.Enqueue(4, "ef"u8));
        queue.Consume(1);
        Assert.Equal(InputOutcome.Accepted, queue.Enqueue(4, "ef"u8));

        var read = new byte[8];
        Assert.Equal("bcde"u8.ToArray(), read[..queue.Peek(read)]);
        Assert.Equal(5, queue.Next);
    }
}
