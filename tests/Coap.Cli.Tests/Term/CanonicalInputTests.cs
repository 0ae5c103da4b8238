using Coap.Cli.Term;

namespace Coap.Cli.Tests.Term;

/// <summary>
/// Standard input encoded for a canonical-mode terminal, read back the way Linux's line discipline reads it with only
/// VEOF (Ctrl-D) and VLNEXT (Ctrl-V) special: every byte arrives, no read is longer than the canonical limit, and the
/// end is one end of file.
/// </summary>
public sealed class CanonicalInputTests
{
    [Fact]
    public void Text_passes_unchanged_and_ends_with_one_ctrl_d_on_an_empty_line()
    {
        var encoded = Encode("one\ntwo\n"u8.ToArray());

        Assert.Equal([.. "one\ntwo\n"u8, CanonicalInput.EndOfFile], encoded);
    }

    [Fact]
    public void Ctrl_d_and_ctrl_v_bytes_are_quoted_and_an_unfinished_line_is_pushed_before_the_end()
    {
        var encoded = Encode([(byte)'a', 0x04, 0x16, 0x03, (byte)'\r']);

        Assert.Equal([(byte)'a', 0x16, 0x04, 0x16, 0x16, 0x03, (byte)'\r', 0x04, 0x04], encoded);
    }

    [Fact]
    public void Empty_input_is_only_the_end_of_file()
    {
        Assert.Equal([CanonicalInput.EndOfFile], Encode([]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(5000)]
    public void Random_bytes_read_back_whole_in_reads_no_longer_than_the_limit(int chunk)
    {
        var input = new byte[100_000];
        new Random(chunk).NextBytes(input);
        input.AsSpan(40_000, 10_000).Fill((byte)'x');

        var (reads, endOfFile) = ReadBack(Encode(input, chunk));

        Assert.Equal(input, reads.SelectMany(read => read));
        Assert.All(reads, read => Assert.InRange(read.Count, 1, CanonicalInput.MaxLine + 1));
        Assert.True(endOfFile);
    }

    private static byte[] Encode(byte[] input, int chunk = int.MaxValue)
    {
        var encoder = new CanonicalInput();
        var output = new List<byte>();
        for (var start = 0; start < input.Length; start += chunk)
        {
            encoder.Encode(input.AsSpan(start, Math.Min(chunk, input.Length - start)), output);
        }

        encoder.End(output);
        return [.. output];
    }

    /// <summary>
    /// What a reader of the terminal gets: a newline or a Ctrl-D ends a read (Ctrl-D itself is not read), a Ctrl-D
    /// with nothing before it is the end of file, Ctrl-V makes the next byte ordinary; true when the end of file was
    /// the last thing read.
    /// </summary>
    private static (List<List<byte>> Reads, bool EndOfFile) ReadBack(byte[] encoded)
    {
        var reads = new List<List<byte>>();
        var line = new List<byte>();
        var literal = false;
        var endOfFile = false;
        foreach (var value in encoded)
        {
            Assert.False(endOfFile, "bytes after the end of file");
            if (!literal && value == CanonicalInput.LiteralNext)
            {
                literal = true;
                continue;
            }

            if (!literal && value == CanonicalInput.EndOfFile)
            {
                endOfFile = line.Count == 0;
                EndRead();
                continue;
            }

            literal = false;
            line.Add(value);
            if (value == (byte)'\n')
            {
                EndRead();
            }
        }

        return (reads, endOfFile);

        void EndRead()
        {
            if (line.Count > 0)
            {
                reads.Add(line);
                line = [];
            }
        }
    }
}
