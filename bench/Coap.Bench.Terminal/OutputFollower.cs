using System.Formats.Cbor;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Bench.Terminal;

/// <summary>Observes a session's output, FETCHes every gap, and lets the caller wait for a length or a text.</summary>
internal sealed class OutputFollower(CoapClient client, string session)
{
    private readonly MemoryStream _output = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Notifications { get; private set; }

    public int Fetches { get; private set; }

    public long Length
    {
        get
        {
            lock (_gate)
            {
                return _output.Length;
            }
        }
    }

    public string Tail(int count)
    {
        lock (_gate)
        {
            var start = (int)Math.Max(0, _output.Length - count);
            return Encoding.ASCII.GetString(_output.GetBuffer(), start, (int)_output.Length - start);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var notification in client.ObserveAsync(session + "out", cancellationToken))
        {
            Notifications++;
            var (offset, bytes) = Decode(notification.Payload);
            while (offset > Length)
            {
                Fetches++;
                var writer = new CborWriter();
                writer.WriteUInt64((ulong)Length);
                var fetched = await client.FetchAsync(session + "out", writer.Encode(), ContentFormat.Cbor, cancellationToken);
                var (from, missing) = Decode(fetched.Payload);
                Append(from, missing);
            }

            Append(offset, bytes);
        }
    }

    private void Append(long offset, byte[] bytes)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            var skip = _output.Length - offset;
            if (skip < bytes.Length)
            {
                _output.Write(bytes, (int)skip, bytes.Length - (int)skip);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    public async Task WaitAsync(Func<OutputFollower, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            await changed.WaitAsync(deadline.Token);
        }
    }

    private static (long Offset, byte[] Bytes) Decode(ReadOnlyMemory<byte> payload)
    {
        var reader = new CborReader(payload, allowMultipleRootLevelValues: true);
        return ((long)reader.ReadUInt64(), reader.ReadByteString());
    }
}
