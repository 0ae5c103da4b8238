namespace Coap.Engine.Messaging;

/// <summary>A CON message waiting for its ACK: the bytes to send again and the retransmission state (RFC 7252 §4.2).</summary>
internal sealed class OutgoingConfirmable
{
    /// <param name="inline">Whether the awaiter of <see cref="Completion"/> continues on the thread that ends the transmission.</param>
    public OutgoingConfirmable(MessageKey key, byte[] datagram, TimeSpan timeout, bool inline = false)
    {
        Completion = new(inline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        Key = key;
        Datagram = datagram;
        Timeout = timeout;
    }

    public MessageKey Key { get; set; }

    public byte[] Datagram { get; set; }

    public int Retransmissions { get; set; }

    /// <summary>When the message was first sent (a timestamp of the manager's clock), for the RTT sample.</summary>
    public long SentAt { get; set; }

    public TimeSpan Timeout { get; set; }

    public ITimer? Timer { get; set; }

    public TaskCompletionSource<TransmissionOutcome> Completion { get; }

    /// <summary>The ACK_TIMEOUT, MAX_RETRANSMIT and RTT settings the message is sent with.</summary>
    public required CoapTransmissionOptions Transmission { get; init; }
}
