using Coap.Engine.Protocol;
using Services.PubSub.Topics;

namespace Services.PubSub.Tests;

/// <summary>Whatever bytes come, the broker's CBOR readers answer with a defect or a configuration error, never another exception (a 5.00).</summary>
public sealed class RandomBytesTests
{
    [Fact]
    public void Random_bytes_are_fine_or_a_defect_and_never_escape_as_another_exception()
    {
        var random = new Random(8949);
        var fine = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(1, 24)];
            random.NextBytes(bytes);

            fine += CborPayload.Defect(bytes, ContentFormat.CborSeq) is null ? 1 : 0;
            ReadOrRefuse(() => ConfigurationCodec.Read(bytes));
            ReadOrRefuse(() => ConfigurationCodec.ReadKeys(bytes));
        }

        Assert.InRange(fine, 100, 19_900);
    }

    private static void ReadOrRefuse(Action read)
    {
        try
        {
            read();
        }
        catch (ConfigurationException)
        {
        }
    }
}
