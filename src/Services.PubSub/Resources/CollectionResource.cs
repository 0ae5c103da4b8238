using System.Text;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Services.PubSub.State;
using Services.PubSub.Topics;

namespace Services.PubSub.Resources;

/// <summary>
/// The topic collection (rt="core.ps.coll"): GET lists the topics' configuration resources as link-format; with an
/// rt query it lists the configuration and the topic-data resources that match it as in /.well-known/core (RFC 6690
/// §4.1, a value ending in '*' is a prefix), so ?rt=core.ps.data or ?rt=core.ps.d* gives the topic-data, and
/// ?rt=core.ps.* both; other queries filter as in /.well-known/core. FETCH with a
/// configuration map lists the topics whose properties match every key given; POST creates a topic and answers
/// 2.01 with its Location-Path and full configuration map.
/// </summary>
internal sealed class CollectionResource : CoapResource
{
    private readonly Broker _broker;
    private readonly Requester _requester;
    private readonly int _format;

    public CollectionResource(Broker broker, Requester requester)
    {
        _broker = broker;
        _requester = requester;
        _format = broker.Options.ContentFormat;
    }

    public ResourceMetadata Metadata => new()
    {
        ResourceTypes = ["core.ps.coll"],
        ContentFormats = [ContentFormat.LinkFormat, _format],
        Title = "Pub-sub topics",
    };

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context)
    {
        var queries = context.Request.GetUriQueries();
        var topics = _broker.All();
        var links = topics.Select(topic => TopicLinks.Configuration(_broker, topic));
        if (queries.Any(q => q.StartsWith("rt=", StringComparison.Ordinal)))
        {
            links = links.Concat(topics.Select(TopicLinks.Data));
        }

        return LinkList(links.Where(link => LinkQueryFilter.Matches(link, queries)));
    }

    protected override ValueTask<CoapMessage> OnFetch(CoapRequestContext context)
    {
        if (!Answers.HasFormat(context.Request, _format))
        {
            return Answers.Error(CoapCode.UnsupportedContentFormat, $"a FETCH filter is a configuration map in Content-Format {_format}");
        }

        ConfigurationFields filter;
        try
        {
            filter = _broker.ReadConfiguration(context.Request.Payload);
        }
        catch (ConfigurationException error)
        {
            return Answers.Error(CoapCode.BadRequest, error.Message);
        }
        catch (PayloadTooLargeException error)
        {
            return Answers.TooLarge(error);
        }

        return LinkList(_broker.All().Where(topic => Matches(topic, filter)).Select(topic => TopicLinks.Configuration(_broker, topic)));
    }

    protected override ValueTask<CoapMessage> OnPost(CoapRequestContext context)
    {
        if (!Answers.HasFormat(context.Request, _format))
        {
            return Answers.Error(CoapCode.UnsupportedContentFormat, $"a topic is created with a configuration map in Content-Format {_format}");
        }

        ConfigurationFields fields;
        try
        {
            fields = _broker.ReadConfiguration(context.Request.Payload);
        }
        catch (ConfigurationException error)
        {
            return Answers.Error(CoapCode.BadRequest, error.Message);
        }
        catch (PayloadTooLargeException error)
        {
            return Answers.TooLarge(error);
        }

        return CreateAsync(fields, _requester.Of(context));
    }

    /// <summary>Answers once the topic is created (with a state directory: once its file is on the disk).</summary>
    private async ValueTask<CoapMessage> CreateAsync(ConfigurationFields fields, string creator)
    {
        Topic topic;
        try
        {
            topic = await _broker.CreateAsync(fields, creator).ConfigureAwait(false);
        }
        catch (ConfigurationException error)
        {
            return await Answers.Error(CoapCode.BadRequest, error.Message).ConfigureAwait(false);
        }
        catch (BrokerFullException error)
        {
            return await Answers.Error(CoapCode.Forbidden, error.Message).ConfigureAwait(false);
        }
        catch (PayloadTooLargeException error)
        {
            return await Answers.TooLarge(error).ConfigureAwait(false);
        }
        catch (StateWriteException error)
        {
            return await Answers.NotSaved(error).ConfigureAwait(false);
        }
        catch (WriterBusyException error)
        {
            return await Answers.Busy(error).ConfigureAwait(false);
        }
        catch (StoreUnavailableException error)
        {
            return await Answers.Unavailable(error).ConfigureAwait(false);
        }

        var response = CoapMessage.CreateResponse(CoapCode.Created, ConfigurationCodec.Write(topic.Configuration), _format);
        response.SetLocationPathSegments([.. _broker.Path.Split('/'), topic.Id]);
        return response;
    }

    private static bool Matches(Topic topic, ConfigurationFields filter)
    {
        var c = topic.Configuration;
        foreach (var key in filter.Keys)
        {
            var match = key switch
            {
                ConfigKey.TopicName => filter.Name == c.Name,
                ConfigKey.TopicData => filter.DataPath?.TrimStart('/') == c.DataPath,
                ConfigKey.ResourceType => filter.ResourceType == c.ResourceType,
                ConfigKey.TopicContentFormat => filter.ContentFormat == c.ContentFormat,
                ConfigKey.TopicType => filter.TopicType == c.TopicType,
                ConfigKey.ExpirationDate => filter.Expiration?.ToUnixTimeSeconds() == c.Expiration?.ToUnixTimeSeconds(),
                ConfigKey.MaxSubscribers => filter.MaxSubscribers == c.MaxSubscribers,
                ConfigKey.ObserverCheck => (filter.ObserverCheck ?? TopicConfiguration.DefaultObserverCheck) == c.ObserverCheck,
                _ => false,
            };
            if (!match)
            {
                return false;
            }
        }

        return true;
    }

    private static ValueTask<CoapMessage> LinkList(IEnumerable<WebLink> links) =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(LinkFormatWriter.Write(links)), ContentFormat.LinkFormat));
}
