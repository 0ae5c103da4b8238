using Coap.Engine.Hosting;
using Coap.Engine.Server.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Services.PubSub.Resources;
using Services.PubSub.State;
using Services.PubSub.Topics;

namespace Services.PubSub;

/// <summary>
/// The publish-subscribe broker (draft-ietf-core-coap-pubsub-21): a topic collection at Path, each topic's
/// configuration at Path/{id} and its data at Path/data/{id}; publishers PUT, subscribers observe.
/// </summary>
public sealed class PubSubModule : ICoapModule
{
    public string Name => "PubSub";

    public void ConfigureServices(IServiceCollection services, IConfiguration section)
    {
        services.AddCoapOptions<PubSubOptions, PubSubOptionsValidator>(section);
        services.TryAddSingleton<IDiskSync, DiskSync>();
        services.TryAddSingleton<Broker>();
        services.AddCoapAccessPolicy();
    }

    public void MapResources(IResourceMapper map)
    {
        var broker = map.Services.GetRequiredService<Broker>();
        var requester = new Requester(map.Services.GetRequiredService<AccessPolicy>(), broker.Options.AdminGroup);
        var collection = new CollectionResource(broker, requester);
        var topic = new TopicResource(broker, requester);
        map.Map(broker.Path, collection, collection.Metadata);
        map.Map(broker.Path + "/{id}", topic, topic.Metadata);
        map.Map(broker.Path + "/data/{id}", new TopicDataResource(broker, requester), TopicDataResource.Metadata);
    }
}
