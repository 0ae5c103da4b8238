using BenchmarkDotNet.Running;

namespace Coap.Bench.Micro;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project bench/Coap.Bench.Micro -- --filter '*'</c> for a full run,
/// add <c>--job short</c> for a quick smoke run (3 iterations), <c>--list flat</c> to see the benchmarks.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
