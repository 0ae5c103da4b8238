namespace Coap.Bench.Server;

/// <summary>No services: the benchmark server has no modules to resolve anything for.</summary>
internal sealed class EmptyServices : IServiceProvider
{
    public static readonly EmptyServices Instance = new();

    public object? GetService(Type serviceType) => null;
}
