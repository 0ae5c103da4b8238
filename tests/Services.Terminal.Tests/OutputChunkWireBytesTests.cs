using Services.Terminal.Sessions;

namespace Services.Terminal.Tests;

/// <summary>
/// The exact bytes of output chunks, the CBOR sequence "offset, bytes[, exit]" written out by hand (RFC 8742, RFC 8949
/// §3.1 shortest arguments): what a client decodes must not change with the CBOR library underneath.
/// </summary>
public sealed class OutputChunkWireBytesTests
{
    [Theory]
    [InlineData(0L, "", null, "0040")]
    [InlineData(300L, "hi\n", null, "19012c4368690a")]
    [InlineData(4_294_967_296L, "x", -1, "1b00000001000000004178" + "20")]
    [InlineData(24L, "aaaaaaaaaaaaaaaaaaaaaaaa", 127, "1818" + "5818616161616161616161616161616161616161616161616161" + "187f")]
    public void An_output_chunk_has_the_same_bytes(long offset, string output, int? exit, string hex)
    {
        var chunk = new OutputChunk(offset, System.Text.Encoding.ASCII.GetBytes(output), exit);

        Assert.Equal(hex, Convert.ToHexStringLower(chunk.Encode()));
    }
}
