namespace Coap.Fuzzing;

/// <summary>
/// The fuzzer's choices. Every decision goes through one seeded <see cref="Random"/>, so a seed replays a run
/// datagram for datagram (the legacy seeded algorithm of <see cref="Random"/> does not change between runtimes).
/// </summary>
public static class RandomExtensions
{
    /// <summary>Lengths at the edges of CoAP's option and block encodings: 12/13/14, 268/269/270, block sizes ± 1.</summary>
    private static readonly int[] EdgeLengths = [0, 1, 2, 3, 4, 5, 8, 9, 12, 13, 14, 15, 16, 17, 255, 256, 268, 269, 270, 1023, 1024, 1025];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static byte[] Bytes(this Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A length that is usually small and often one of <see cref="EdgeLengths"/>.</summary>
    public static int EdgeLength(this Random random) => random.Chance(0.5) ? random.Pick(EdgeLengths) : random.Next(40);
}
