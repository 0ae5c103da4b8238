namespace Coap.Bench.Observe;

/// <summary>No services: the benchmark has no modules to resolve anything for.</summary>
internal sealed class EmptyServices : IServiceProvider
{
    public static readonly EmptyServices Instance = new();

    public object? GetService(Type serviceType) => null;
}
