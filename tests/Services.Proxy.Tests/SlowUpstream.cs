using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Proxy.Tests;

/// <summary>An upstream whose first answer waits for the test; it records how many requests it held at once.</summary>
internal sealed class SlowUpstream
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _now;
    private int _most;
    private int _calls;

    public SlowUpstream()
    {
        Resource = new TestResource(async _ =>
        {
            Interlocked.Increment(ref _calls);
            var now = Interlocked.Increment(ref _now);
            InterlockedMax(ref _most, now);
            _entered.TrySetResult();
            await _release.Task;
            Interlocked.Decrement(ref _now);
            return CoapMessage.CreateResponse(CoapCode.Content, "done"u8.ToArray());
        });
    }

    public TestResource Resource { get; }

    public Task Entered => _entered.Task;

    public int MostAtOnce => Volatile.Read(ref _most);

    public int Calls => Volatile.Read(ref _calls);

    public void Release() => _release.TrySetResult();

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
