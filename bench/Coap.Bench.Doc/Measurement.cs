using System.Diagnostics;
using System.Globalization;

namespace Coap.Bench.Doc;

/// <summary>Runs <c>count</c> queries over <c>concurrency</c> workers and reports the rate and latency percentiles.</summary>
internal sealed record Measurement(string Name, int Count, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double Rate => Count / Elapsed.TotalSeconds;

    public static async Task<Measurement> RunAsync(string name, int count, int concurrency, Func<int, Func<int, Task>> worker)
    {
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var query = worker(w);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await query(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        clock.Stop();
        Array.Sort(latencies);
        return new Measurement(name, count, clock.Elapsed, latencies);
    }

    public string Row(Measurement baseline) => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {Rate:0} | {Percentile(0.5):0.000} | {Percentile(0.99):0.000} | {Rate / baseline.Rate:0.00} |");

    private double Percentile(double p) => LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p * LatenciesMs.Length))];
}
