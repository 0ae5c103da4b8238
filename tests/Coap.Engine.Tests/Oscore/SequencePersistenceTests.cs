using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using static Coap.Engine.Tests.Oscore.Rfc8613Vectors;

namespace Coap.Engine.Tests.Oscore;

/// <summary>
/// Sender Sequence Numbers persisted with the K jump of RFC 8613 §B.1.1: the bound is saved before a number at or past
/// it is used, and a context restarted from any saved state never reuses a Partial IV.
/// </summary>
public sealed class SequencePersistenceTests
{
    [Fact]
    public void The_bound_is_saved_before_any_number_reaching_it_is_used()
    {
        var store = new RecordingStore();
        using var context = new OscoreSecurityContext(C1Client, null, store, sequenceStep: 4);

        var used = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            used.Add(SendOne(context));
            Assert.True(used[^1] < store.Saved[^1].NextToSend, "a number was used before a bound above it was saved");
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), used);
        Assert.Equal([4L, 8, 12], store.Saved.Select(s => s.NextToSend));
    }

    [Fact]
    public void A_restart_from_the_saved_state_never_reuses_a_partial_iv()
    {
        var store = new RecordingStore();
        var seen = new HashSet<long>();
        OscoreSequenceState? state = null;
        for (var run = 0; run < 3; run++)
        {
            // Each run "crashes": the next one starts from whatever was saved last, not from a clean shutdown.
            var context = new OscoreSecurityContext(C1Client, state, store, sequenceStep: 5);
            for (var i = 0; i < 7; i++)
            {
                Assert.True(seen.Add(SendOne(context)));
            }

            state = store.Saved[^1];
        }

        Assert.Equal(21, seen.Count);
    }

    [Fact]
    public void A_failing_store_stops_sending_instead_of_risking_reuse()
    {
        var store = new RecordingStore { Fail = true };
        using var context = new OscoreSecurityContext(C1Client, null, store);

        Assert.Equal(OscoreFailure.SenderExhausted, context.ProtectRequest(CoapMessage.CreateRequest(CoapCode.Get, "/x"), out var request, out _));
        Assert.Null(request);
    }

    [Fact]
    public void The_last_sequence_number_is_used_and_then_the_context_is_exhausted()
    {
        using var context = new OscoreSecurityContext(C1Client, new OscoreSequenceState(OscoreAlgorithm.MaxSequenceNumber, null));

        Assert.Equal(OscoreAlgorithm.MaxSequenceNumber, SendOne(context));
        Assert.Equal(OscoreFailure.SenderExhausted, context.ProtectRequest(CoapMessage.CreateRequest(CoapCode.Get, "/x"), out _, out _));
    }

    [Fact]
    public void A_clean_shutdown_saves_the_exact_state()
    {
        var store = new RecordingStore();
        using var context = new OscoreSecurityContext(C1Client, null, store, sequenceStep: 100);
        SendOne(context);
        SendOne(context);

        context.SaveExactState();

        Assert.Equal(new OscoreSequenceState(2, new OscoreWindowState(0, 0)), store.Saved[^1]);
    }

    private static long SendOne(OscoreSecurityContext context)
    {
        Assert.Equal(OscoreFailure.None, context.ProtectRequest(CoapMessage.CreateRequest(CoapCode.Get, "/x"), out _, out var binding));
        return OscoreNonce.SequenceNumberOf(binding!.RequestPartialIv);
    }

    internal sealed class RecordingStore : IOscoreStateStore
    {
        public List<OscoreSequenceState> Saved { get; } = [];

        public bool Fail { get; set; }

        public void Save(OscoreSequenceState state)
        {
            if (Fail)
            {
                throw new IOException("disk full");
            }

            Saved.Add(state);
        }
    }
}
