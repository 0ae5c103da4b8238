using Coap.Engine.Codec;
using Coap.Engine.Hosting;
using Coap.Engine.Protocol;

namespace Coap.Engine.Messaging;

/// <summary>Reliable transmission of CON messages (RFC 7252 §4.2): exponential back-off until ACK, RST or give-up.</summary>
internal sealed partial class MessageManager
{
    /// <summary>
    /// Sends a CON message (its message ID already set) and retransmits it until an ACK or RST with the same
    /// ID arrives, or MAX_RETRANSMIT retransmissions went unanswered. With <paramref name="inline"/> the awaiter of the
    /// outcome continues on the thread that ends the transmission (the receive thread for an ACK): for a short one.
    /// <paramref name="transmission"/> is the sender's ACK_TIMEOUT and MAX_RETRANSMIT when not the endpoint's.
    /// </summary>
    public Task<TransmissionOutcome> SendConfirmable(CoapPeer peer, CoapMessage message, bool inline = false, CoapTransmissionOptions? transmission = null)
    {
        var outcome = SendConfirmable(peer, message.MessageId, CoapMessageWriter.ToArray(message), inline, transmission);
        LogSent(message, peer);
        return outcome;
    }

    /// <summary>As <see cref="SendConfirmable(CoapPeer, CoapMessage, bool)"/> for a datagram already encoded under <paramref name="messageId"/>.</summary>
    public Task<TransmissionOutcome> SendConfirmable(CoapPeer peer, ushort messageId, byte[] datagram, bool inline = false, CoapTransmissionOptions? transmission = null)
    {
        var entry = new OutgoingConfirmable(new MessageKey(peer, messageId), datagram, TimeSpan.Zero, inline) { Transmission = transmission ?? _transmission };
        lock (_gate)
        {
            entry.Timeout = InitialTimeout(peer, entry.Transmission);
            entry.SentAt = Now;
            _outgoing[entry.Key] = entry;
            entry.Timer = _time.CreateTimer(_onRetransmitTimer, entry, entry.Timeout, Timeout.InfiniteTimeSpan);
        }

        peer.Transport.Send(entry.Datagram, peer.Address);
        return entry.Completion.Task;
    }

    /// <summary>Ends the transmission that an ACK or RST answers; false when nothing was waiting for it.</summary>
    public bool Complete(CoapPeer peer, CoapMessage answer)
    {
        var result = answer.Type == CoapMessageType.Reset ? TransmissionResult.Reset : TransmissionResult.Acknowledged;
        return Finish(new MessageKey(peer, answer.MessageId), new TransmissionOutcome(result, answer));
    }

    /// <summary>Stops retransmitting, for example because a separate response already implied the ACK.</summary>
    public bool Cancel(CoapPeer peer, ushort messageId) =>
        Finish(new MessageKey(peer, messageId), new TransmissionOutcome(TransmissionResult.Cancelled, null));

    /// <summary>Ends every transmission in flight, when the endpoint stops.</summary>
    public void CancelAll()
    {
        List<OutgoingConfirmable> all;
        lock (_gate)
        {
            all = [.. _outgoing.Values];
        }

        foreach (var entry in all)
        {
            Finish(entry.Key, new TransmissionOutcome(TransmissionResult.Cancelled, null));
        }
    }

    private bool Finish(MessageKey key, TransmissionOutcome outcome)
    {
        OutgoingConfirmable? entry;
        lock (_gate)
        {
            if (!_outgoing.Remove(key, out entry))
            {
                return false;
            }

            entry.Timer?.Dispose();
            if (entry.Transmission.MeasureRtt && entry.Retransmissions == 0 && outcome.Result != TransmissionResult.Cancelled)
            {
                // Karn's rule: only a message sent once gives an unambiguous sample.
                (key.Peer.Rtt ??= new RttEstimator()).Add(_time.GetElapsedTime(entry.SentAt));
            }
        }

        entry.Completion.TrySetResult(outcome);
        return true;
    }

    private void OnRetransmitTimer(object? state)
    {
        try
        {
            Retransmit((OutgoingConfirmable)state!);
        }
        catch (Exception error)
        {
            BackgroundWork.Report(_logger, error, "retransmitting a confirmable message");
        }
    }

    private void Retransmit(OutgoingConfirmable entry)
    {
        lock (_gate)
        {
            if (!_outgoing.TryGetValue(entry.Key, out var current) || current != entry)
            {
                return;
            }

            if (entry.Retransmissions >= entry.Transmission.MaxRetransmit)
            {
                _outgoing.Remove(entry.Key);
                entry.Timer?.Dispose();
            }
            else
            {
                entry.Retransmissions++;
                entry.Timeout *= 2;
                entry.Timer?.Change(entry.Timeout, Timeout.InfiniteTimeSpan);
                entry.Key.Peer.Transport.Send(entry.Datagram, entry.Key.Peer.Address);
                Log.Retransmitted(_logger, entry.Key.Peer, entry.Key.MessageId, entry.Retransmissions);
                return;
            }
        }

        Log.GaveUp(_logger, entry.Key.Peer, entry.Key.MessageId, entry.Retransmissions);
        entry.Completion.TrySetResult(new TransmissionOutcome(TransmissionResult.TimedOut, null));
    }

    /// <summary>
    /// A random duration between ACK_TIMEOUT and ACK_TIMEOUT × ACK_RANDOM_FACTOR (§4.2); with
    /// <see cref="CoapTransmissionOptions.MeasureRtt"/> and a measurement of the peer, the RTO in place of ACK_TIMEOUT.
    /// Called under the lock.
    /// </summary>
    private TimeSpan InitialTimeout(CoapPeer peer, CoapTransmissionOptions transmission)
    {
        var factor = 1.0 + (_random.NextDouble() * (transmission.AckRandomFactor - 1.0));
        var timeout = transmission.MeasureRtt && peer.Rtt is { HasSample: true } rtt
            ? rtt.Rto(transmission.MinRto, transmission.MaxRto)
            : transmission.AckTimeout;
        return timeout * factor;
    }
}
