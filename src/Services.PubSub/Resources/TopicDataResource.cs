using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Services.PubSub.State;
using Services.PubSub.Topics;

namespace Services.PubSub.Resources;

/// <summary>
/// Topic-data (rt="core.ps.data") at Path/data/{id}: PUT publishes (2.01 the first time, 2.04 after; 4.15 for a
/// Content-Format other than the topic's, 4.00 for a CBOR Content-Format around bytes that are not CBOR, 4.13 above
/// MaxPayloadBytes, 4.29 with Max-Age when faster than MinPublishInterval), GET reads the latest value (4.04 before
/// the first), GET with Observe subscribes: each topic keeps its own observers, so a publication renders once and
/// goes to that topic's subscribers only. DELETE takes the topic back to "half created"; its subscribers get a final
/// 4.04.
/// </summary>
internal sealed class TopicDataResource : CoapResource, IObservableRoute
{
    private readonly Broker _broker;
    private readonly Requester _requester;

    public TopicDataResource(Broker broker, Requester requester)
    {
        _broker = broker;
        _requester = requester;
    }

    public static ResourceMetadata Metadata { get; } = new() { ResourceTypes = [TopicConfiguration.DataResourceType], Observable = true };

    public ResourceObservers? ObserversOf(CoapRequestContext context) => Find(context)?.Subscribers;

    /// <summary>A publication in blocks to a topic that does not exist is 4.04 at its first block, not after its last.</summary>
    public override CoapMessage? RefuseBeforeBody(CoapRequestContext context) =>
        base.RefuseBeforeBody(context) ?? (Find(context) is null ? Answers.NoTopic().Result : null);

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context)
    {
        if (Find(context) is not { } topic)
        {
            return Answers.NoTopic();
        }

        if (topic.Value is not { } value)
        {
            return Answers.Error(CoapCode.NotFound, "nothing published yet");
        }

        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, value.Payload, value.ContentFormat));
    }

    protected override ValueTask<CoapMessage> OnPut(CoapRequestContext context)
    {
        if (Find(context) is not { } topic)
        {
            return Answers.NoTopic();
        }

        var request = context.Request;
        if (topic.Configuration.ContentFormat is { } format && request.ContentFormat != format)
        {
            return Answers.Error(CoapCode.UnsupportedContentFormat, $"this topic takes Content-Format {format}");
        }

        if (CborPayload.Defect(request.Payload, request.ContentFormat) is { } defect)
        {
            return Answers.Error(CoapCode.BadRequest, defect);
        }

        try
        {
            _broker.CheckSize(request.Payload.Length);
        }
        catch (PayloadTooLargeException error)
        {
            return Answers.TooLarge(error);
        }

        return PublishAsync(topic, request);
    }

    /// <summary>Answers once the publication is stored (with a state directory: once a group commit has it on the disk).</summary>
    private async ValueTask<CoapMessage> PublishAsync(Topic topic, CoapMessage request)
    {
        try
        {
            var (wait, replaced) = await _broker.PublishAsync(topic, request.Payload, request.ContentFormat).ConfigureAwait(false);
            if (wait > TimeSpan.Zero)
            {
                var response = CoapMessage.CreateResponse(CoapCode.TooManyRequests, System.Text.Encoding.UTF8.GetBytes("publishing too fast"));
                response.MaxAge = (uint)Math.Ceiling(wait.TotalSeconds);
                return response;
            }

            return CoapMessage.CreateResponse(replaced ? CoapCode.Changed : CoapCode.Created);
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

    protected override ValueTask<CoapMessage> OnDelete(CoapRequestContext context)
    {
        if (Find(context) is not { } topic)
        {
            return Answers.NoTopic();
        }

        return ClearAsync(topic, _requester.Of(context));
    }

    private async ValueTask<CoapMessage> ClearAsync(Topic topic, string requester)
    {
        try
        {
            await _broker.ClearValueAsync(topic, requester).ConfigureAwait(false);
            return CoapMessage.CreateResponse(CoapCode.Deleted);
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

    private Topic? Find(CoapRequestContext context) => context.Route["id"] is { } id ? _broker.FindByData(id) : null;
}
