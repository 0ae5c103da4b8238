using Coap.Engine.LinkFormat;
using Services.PubSub.Topics;

namespace Services.PubSub.Resources;

/// <summary>The links the collection lists: a topic's configuration resource, or its topic-data.</summary>
internal static class TopicLinks
{
    public static WebLink Configuration(Broker broker, Topic topic) =>
        new WebLink($"/{broker.Path}/{topic.Id}").Add("rt", "core.ps.conf");

    public static WebLink Data(Topic topic)
    {
        var configuration = topic.Configuration;
        var link = new WebLink("/" + configuration.DataPath).Add("rt", configuration.ResourceType);
        if (configuration.ContentFormat is { } format)
        {
            link.Add("ct", format);
        }

        return link.Add("obs");
    }
}
