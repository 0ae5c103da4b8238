using System.Net;

namespace Coap.Engine.Transport;

/// <summary>
/// Datagrams a thread sends while it holds a <see cref="Scope"/> go out together, by sendmmsg(2), when the outermost
/// scope ends (or the batch is full): a Q-Block2 burst, or the answers to a run of received datagrams, costs one
/// system call instead of one each, and datagrams of one length for one peer go as one segmented message
/// (<see cref="SegmentedMessages"/>). A scope never spans an await (it belongs to the thread), so nothing waits in a
/// batch for longer than the synchronous work that fills it. Only <see cref="UdpTransport"/> on 64-bit Linux batches;
/// every other send goes at once.
/// </summary>
internal sealed unsafe class SendBatch
{
    private const int Capacity = 32;
    private const int DataRoom = 64 * 1024;

    [ThreadStatic]
    private static SendBatch? t_batch;

    private readonly MessageHeaders _room = new(Capacity, DataRoom);
    private readonly SegmentedMessages _messages = new(Capacity);
    private readonly LinuxMessages.MessageHeader* _headers;
    private readonly byte* _data;
    private int _depth;
    private int _count;
    private int _used;
    private UdpTransport? _transport;

    private SendBatch()
    {
        _headers = _room.Headers;
        _data = _room.Data;
    }

    /// <summary>The calling thread's batch while it holds a scope; null otherwise (or where batching is not supported).</summary>
    public static SendBatch? Current => t_batch is { _depth: > 0 } batch ? batch : null;

    /// <summary>Sends what waits in the calling thread's batch now, if it holds one: the thread is about to block.</summary>
    public static void FlushCurrent() => Current?.Flush();

    /// <summary>
    /// Starts (or nests in) the calling thread's batch; sends from this thread wait in it until the outermost scope
    /// is disposed. Does nothing where batching is not supported.
    /// </summary>
    public static Scope Open()
    {
        if (!LinuxMessages.Supported)
        {
            return default;
        }

        var batch = t_batch ??= new SendBatch();
        batch._depth++;
        return new Scope(batch);
    }

    /// <summary>
    /// Adds a datagram for <paramref name="transport"/>'s socket, sending what waits first when it is for another
    /// socket or the batch is full; false (the caller sends it itself) when it cannot be held at all.
    /// </summary>
    public bool TryAdd(UdpTransport transport, ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (datagram.Length > DataRoom || remote.Size > LinuxMessages.AddressRoom)
        {
            return false;
        }

        if (_count > 0 && (_transport != transport || _count == Capacity || _used + datagram.Length > DataRoom))
        {
            Flush();
        }

        var header = _headers + _count;
        datagram.CopyTo(new Span<byte>(_data + _used, datagram.Length));
        header->Vectors->Base = _data + _used;
        header->Vectors->Length = (nuint)datagram.Length;
        remote.Buffer.Span[..remote.Size].CopyTo(new Span<byte>(header->Name, remote.Size));
        header->NameLength = (uint)remote.Size;
        _used += datagram.Length;
        _count++;
        _transport = transport;
        return true;
    }

    /// <summary>Sends every datagram waiting in the batch.</summary>
    public void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        var transport = _transport!;
        var count = _count;
        _count = 0;
        _used = 0;
        _transport = null;
        transport.SendMany(_messages.Headers, _messages.Build(_headers, count, transport.Segments));
    }

    /// <summary>Holds the thread's batch open; disposing the outermost one sends what waits.</summary>
    public readonly ref struct Scope
    {
        private readonly SendBatch? _batch;

        public Scope(SendBatch batch) => _batch = batch;

        public void Dispose()
        {
            if (_batch is { } batch && --batch._depth == 0)
            {
                batch.Flush();
            }
        }
    }
}
