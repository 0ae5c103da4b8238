using Coap.Fuzzing;
using Services.PubSub.State;
using Services.PubSub.Topics;

namespace Services.PubSub.Tests;

/// <summary>
/// CBOR through the broker's entry points, valid and damaged (tests/Coap.Fuzzing's samples): a configuration map or
/// a FETCH's array of keys is read or refused with <see cref="ConfigurationException"/> (a 4.00) and nothing else; a
/// publication said to be CBOR is judged without throwing; a state file is read or refused with
/// <see cref="InvalidDataException"/> (moved aside at start) and nothing else.
/// </summary>
public sealed class FuzzedCborTests
{
    private const int Samples = 20_000;

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Configuration_maps_and_key_arrays_are_read_or_refused_with_a_configuration_exception()
    {
        var random = new Random(606);
        var accepted = 0;
        for (var i = 0; i < Samples; i++)
        {
            var map = CborSamples.ConfigurationMap(random, random.Chance(0.5), Now);
            var keys = CborSamples.KeyArray(random);
            if (random.Chance(0.5))
            {
                map = CborSamples.Damaged(random, map);
                keys = CborSamples.Damaged(random, keys);
            }

            accepted += Reads(() => ConfigurationCodec.Read(map)) ? 1 : 0;
            Reads(() => ConfigurationCodec.ReadKeys(keys));
        }

        Assert.InRange(accepted, Samples / 10, Samples - 100);
    }

    [Fact]
    public void A_publication_said_to_be_cbor_is_judged_without_throwing()
    {
        var random = new Random(60);
        var defects = 0;
        for (var i = 0; i < Samples; i++)
        {
            var item = CborSamples.DataItem(random);
            var payload = random.Chance(0.5) ? CborSamples.Damaged(random, item) : item;

            defects += CborPayload.Defect(payload, random.Pick<int?>([60, 63, 112, 0, null])) is null ? 0 : 1;
        }

        Assert.InRange(defects, 100, Samples - 100);
    }

    [Fact]
    public void A_damaged_state_file_is_read_or_refused_with_invalid_data()
    {
        var random = new Random(1);
        var configuration = new TopicConfiguration { Name = "kitchen/temp", DataPath = "ps/data/1bd0d6d", ContentFormat = 60, Expiration = Now, MaxSubscribers = 5 };
        var read = 0;
        for (var i = 0; i < Samples; i++)
        {
            var value = random.Chance(0.8) ? new Publication(CborSamples.DataItem(random), random.Chance(0.8) ? 60 : null) : null;
            var record = CborSamples.Damaged(random, TopicRecord.Write("3f9a1c2", configuration, value));

            try
            {
                TopicRecord.Read(record);
                read++;
            }
            catch (InvalidDataException)
            {
            }
        }

        Assert.InRange(read, 1, Samples - 100);
    }

    private static bool Reads(Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (ConfigurationException)
        {
            return false;
        }
    }
}
