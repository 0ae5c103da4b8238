using System.Formats.Cbor;

namespace Coap.Testing;

/// <summary>Pub-sub request bodies the tests of several projects send (draft-ietf-core-coap-pubsub configuration maps).</summary>
public static class TopicMaps
{
    /// <summary>The smallest topic configuration: topic-name (0) and resource-type (2) "core.ps.data".</summary>
    public static byte[] Named(string name)
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteInt32(0);
        writer.WriteTextString(name);
        writer.WriteInt32(2);
        writer.WriteTextString("core.ps.data");
        writer.WriteEndMap();
        return writer.Encode();
    }
}
