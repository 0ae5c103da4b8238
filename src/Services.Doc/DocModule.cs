using Coap.Engine.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Services.Doc.Caching;
using Services.Doc.Upstream;

namespace Services.Doc;

/// <summary>DNS over CoAP (RFC 9953): constrained nodes resolve names through one resource instead of speaking DNS.</summary>
public sealed class DocModule : ICoapModule
{
    public string Name => "Doc";

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
        services.AddCoapOptions<DocOptions, DocOptionsValidator>(section);
        services.TryAddSingleton<IDnsUpstream, NetworkDnsUpstream>();
        services.TryAddSingleton<DnsAnswerCache>();
        services.TryAddSingleton<SharedAnswerCache>();
        services.TryAddSingleton<DnsResolver>();
        services.TryAddSingleton<DnsResource>();
    }

    public void MapResources(IResourceMapper map)
    {
        var options = map.Services.GetRequiredService<IOptions<DocOptions>>().Value;
        var resource = map.Services.GetRequiredService<DnsResource>();
        map.Map(options.Path, resource, resource.Metadata);
    }
}
