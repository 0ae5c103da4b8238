namespace Coap.Fuzzing;

/// <summary>
/// Byte-level damage, for datagrams and for the payloads inside them: bits flipped, bytes set to values that mean
/// something to a decoder (CoAP's option nibbles 13/14/15 and payload marker, CBOR heads, DNS pointers), cut short,
/// bytes inserted, removed, repeated or appended. One to three changes per call.
/// </summary>
public static class ByteMutator
{
    /// <summary>
    /// Bytes that are structure in a CoAP datagram: option heads with extended or reserved nibbles, the payload marker.
    /// </summary>
    private static readonly byte[] CoapBytes = [0x00, 0x0D, 0x0E, 0x0F, 0xD0, 0xE0, 0xF0, 0xDD, 0xEE, 0xFF, 0x7F, 0x80, 0xC0, 0x60, 0x61];

    public static byte[] Mutate(Random random, byte[] original, byte[]? headBytes = null)
    {
        var bytes = new List<byte>(original);
        var interesting = headBytes ?? CoapBytes;
        for (var changes = random.Next(1, 4); changes > 0; changes--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(bytes.Count == 0 ? 1 : 8))
            {
                case 0:
                    bytes.AddRange(random.Bytes(random.Next(1, 5)));
                    break;
                case 1:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 3:
                    bytes[at] = random.Pick(interesting);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5:
                    bytes.InsertRange(at, random.Bytes(random.Next(1, 5)));
                    break;
                case 6:
                    bytes.RemoveRange(at, random.Next(1, bytes.Count - at + 1));
                    break;
                default:
                    var length = random.Next(1, Math.Min(16, bytes.Count - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>
    /// A datagram damaged in its header now and then (version, token length 9–15, type) and anywhere otherwise.
    /// </summary>
    public static byte[] MutateDatagram(Random random, byte[] datagram)
    {
        if (datagram.Length == 0 || random.Chance(0.7))
        {
            return Mutate(random, datagram);
        }

        var bytes = (byte[])datagram.Clone();
        bytes[0] = random.Next(3) switch
        {
            0 => (byte)((bytes[0] & 0xF0) | random.Next(9, 16)),
            1 => (byte)((bytes[0] & 0x3F) | (random.Next(4) << 6)),
            _ => (byte)((bytes[0] & 0xCF) | (random.Next(4) << 4)),
        };
        return bytes;
    }
}
