namespace Coap.Cli.Tests;

/// <summary>
/// Captured standard output that a test can await: <see cref="WhenLinesAsync"/> completes once the command has written
/// that many lines, so a test sees the moment a long-running command (e.g. `coap sub`) printed something.
/// </summary>
internal sealed class WatchedOutput : MemoryStream
{
    private readonly Lock _gate = new();
    private readonly List<(int Lines, TaskCompletionSource Done)> _waiters = [];
    private int _lines;

    /// <summary>Every write ends here (MemoryStream's other overloads call this one in a derived class).</summary>
    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            base.Write(buffer, offset, count);
            _lines += buffer.AsSpan(offset, count).Count((byte)'\n');
            _waiters.RemoveAll(waiter => waiter.Lines <= _lines && waiter.Done.TrySetResult());
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var bytes = buffer.ToArray();
        Write(bytes, 0, bytes.Length);
        return ValueTask.CompletedTask;
    }

    /// <summary>Completes when <paramref name="lines"/> lines have been written; fails after the timeout.</summary>
    public Task WhenLinesAsync(int lines, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines >= lines)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((lines, done));
        }

        return done.Task.WaitAsync(timeout);
    }
}
