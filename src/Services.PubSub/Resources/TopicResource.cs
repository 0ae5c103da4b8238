using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Services.PubSub.State;
using Services.PubSub.Topics;

namespace Services.PubSub.Resources;

/// <summary>
/// A topic's configuration (rt="core.ps.conf") at Path/{id}: GET the map, FETCH with a CBOR array of keys for only
/// those, POST a full replacement, iPATCH a partial one (topic-name, topic-data and resource-type never change: 4.00),
/// DELETE the topic with its data; its subscribers then get a final 4.04. Only the topic's creator or a member of the
/// admin group may POST, iPATCH or DELETE it (<see cref="Requester"/>): 4.03, or 4.01 for an anonymous requester.
/// </summary>
internal sealed class TopicResource : CoapResource
{
    private readonly Broker _broker;
    private readonly Requester _requester;
    private readonly int _format;

    public TopicResource(Broker broker, Requester requester)
    {
        _broker = broker;
        _requester = requester;
        _format = broker.Options.ContentFormat;
    }

    public ResourceMetadata Metadata => new()
    {
        ResourceTypes = ["core.ps.conf"],
        ContentFormats = [_format],
    };

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context) =>
        Find(context) is { } topic ? Answers.Map(CoapCode.Content, ConfigurationCodec.Write(topic.Configuration), _format) : Answers.NoTopic();

    protected override ValueTask<CoapMessage> OnFetch(CoapRequestContext context)
    {
        if (Find(context) is not { } topic)
        {
            return Answers.NoTopic();
        }

        if (!Answers.HasFormat(context.Request, _format, cborToo: true))
        {
            return Answers.Error(CoapCode.UnsupportedContentFormat, $"FETCH a topic with a CBOR array of keys (Content-Format 60 or {_format})");
        }

        try
        {
            var keys = ConfigurationCodec.ReadKeys(context.Request.Payload);
            return Answers.Map(CoapCode.Content, ConfigurationCodec.Write(topic.Configuration, keys), _format);
        }
        catch (ConfigurationException error)
        {
            return Answers.Error(CoapCode.BadRequest, error.Message);
        }
    }

    protected override ValueTask<CoapMessage> OnPost(CoapRequestContext context) => Change(context, ConfigurationRules.Replace);

    protected override ValueTask<CoapMessage> OnIPatch(CoapRequestContext context) => Change(context, ConfigurationRules.Patch);

    protected override ValueTask<CoapMessage> OnDelete(CoapRequestContext context)
    {
        if (Find(context) is not { } topic)
        {
            return Answers.NoTopic();
        }

        return _requester.RefusesManaging(context, topic) is { } refusal ? NotYours(refusal) : DeleteAsync(topic, _requester.Of(context));
    }

    private static ValueTask<CoapMessage> NotYours(CoapCode refusal) =>
        Answers.Error(refusal, "only the topic's creator or an administrator may reconfigure or delete it");

    private async ValueTask<CoapMessage> DeleteAsync(Topic topic, string requester)
    {
        try
        {
            if (!await _broker.DeleteAsync(topic, requester).ConfigureAwait(false))
            {
                return await Answers.NoTopic().ConfigureAwait(false);
            }
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

        return CoapMessage.CreateResponse(CoapCode.Deleted);
    }

    private ValueTask<CoapMessage> Change(CoapRequestContext context, Func<TopicConfiguration, ConfigurationFields, DateTimeOffset, TopicConfiguration> rule)
    {
        if (Find(context) is not { } topic)
        {
            return Answers.NoTopic();
        }

        if (_requester.RefusesManaging(context, topic) is { } refusal)
        {
            return NotYours(refusal);
        }

        if (!Answers.HasFormat(context.Request, _format))
        {
            return Answers.Error(CoapCode.UnsupportedContentFormat, $"a topic is changed with a configuration map in Content-Format {_format}");
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

        var now = _broker.Time.GetUtcNow();
        return ReconfigureAsync(topic, current => rule(current, fields, now), fields.Initialize, _requester.Of(context));
    }

    /// <summary>Answers once the change is made (with a state directory: once it is on the disk).</summary>
    private async ValueTask<CoapMessage> ReconfigureAsync(Topic topic, Func<TopicConfiguration, TopicConfiguration> change, byte[]? initialize, string requester)
    {
        try
        {
            var configuration = await _broker.ReconfigureAsync(topic, change, initialize, requester).ConfigureAwait(false);
            return CoapMessage.CreateResponse(CoapCode.Changed, ConfigurationCodec.Write(configuration), _format);
        }
        catch (ConfigurationException error)
        {
            return await Answers.Error(CoapCode.BadRequest, error.Message).ConfigureAwait(false);
        }
        catch (PayloadTooLargeException error)
        {
            return await Answers.TooLarge(error).ConfigureAwait(false);
        }
        catch (TopicGoneException)
        {
            return await Answers.NoTopic().ConfigureAwait(false);
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
    }

    private Topic? Find(CoapRequestContext context) => context.Route["id"] is { } id ? _broker.Find(id) : null;
}
