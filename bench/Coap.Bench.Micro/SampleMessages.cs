using Coap.Engine.Protocol;

namespace Coap.Bench.Micro;

/// <summary>The typical request and response that the codec benchmarks decode and encode.</summary>
public static class SampleMessages
{
    /// <summary>CON GET, MID 0x1234, 4-byte token, Uri-Path "time", Uri-Query "fmt=iso" (21 bytes on the wire).</summary>
    public static CoapMessage CreateRequest()
    {
        var request = new CoapMessage(new CoapOptionList(2))
        {
            Type = CoapMessageType.Confirmable,
            Code = CoapCode.Get,
            MessageId = 0x1234,
            Token = CoapToken.FromUInt64(0xCAFE_F00D, 4),
        };
        request.Options.Add(OptionNumber.UriPath, "time"u8.ToArray());
        request.Options.Add(OptionNumber.UriQuery, "fmt=iso"u8.ToArray());
        return request;
    }

    /// <summary>ACK 2.05, MID 0x1234, same token, Content-Format 0 (empty value), 10-byte payload (20 bytes on the wire).</summary>
    public static CoapMessage CreateResponse()
    {
        var response = new CoapMessage(new CoapOptionList(1))
        {
            Type = CoapMessageType.Acknowledgement,
            Code = CoapCode.Content,
            MessageId = 0x1234,
            Token = CoapToken.FromUInt64(0xCAFE_F00D, 4),
            Payload = "1735689600"u8.ToArray(),
        };
        response.Options.Add(OptionNumber.ContentFormat, ReadOnlyMemory<byte>.Empty);
        return response;
    }
}
