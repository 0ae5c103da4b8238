using BenchmarkDotNet.Attributes;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Bench.Micro;

/// <summary>
/// The codec on its hot path: what one request/response costs in time and in allocations.
/// Goal (ARCHITECTURE.md, convention 5): encoding allocates nothing; decoding allocates only the
/// <see cref="CoapMessage"/>, its <see cref="CoapOptionList"/> and the list's option array.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly byte[] _buffer = new byte[1152];
    private CoapMessage _request = null!;
    private CoapMessage _response = null!;
    private ReadOnlyMemory<byte> _requestBytes;
    private ReadOnlyMemory<byte> _payload;

    [GlobalSetup]
    public void Setup()
    {
        _request = SampleMessages.CreateRequest();
        _response = SampleMessages.CreateResponse();
        _requestBytes = CoapMessageWriter.ToArray(_request);
        _payload = _response.Payload;
    }

    /// <summary>Decode a CON GET /time?fmt=iso with a 4-byte token.</summary>
    [Benchmark]
    public CoapMessage? DecodeRequest()
    {
        CoapMessageReader.TryRead(_requestBytes, out var message);
        return message;
    }

    /// <summary>Structure check only (what the message layer can do before deciding to decode).</summary>
    [Benchmark]
    public CoapDecodeError ValidateRequest() => CoapMessageReader.Validate(_requestBytes.Span);

    /// <summary>Encode an ACK 2.05 with token, Content-Format 0 and a 10-byte payload into a preallocated span.</summary>
    [Benchmark]
    public int EncodeResponse() => CoapMessageWriter.Write(_response, _buffer);

    [Benchmark]
    public int GetEncodedLength() => CoapMessageWriter.GetEncodedLength(_response);

    /// <summary>
    /// Not the codec: what building a response costs, for comparison. Content-Format 50 (JSON) is a non-zero
    /// uint option, which <see cref="CoapOption.FromUInt"/> stores in a fresh byte[].
    /// </summary>
    [Benchmark]
    public CoapMessage CreateJsonResponse() => CoapMessage.CreateResponse(CoapCode.Content, _payload, ContentFormat.Json);

    /// <summary>Encode the request into the buffer, then decode it from there.</summary>
    [Benchmark]
    public CoapMessage? RoundTripRequest()
    {
        var length = CoapMessageWriter.Write(_request, _buffer);
        CoapMessageReader.TryRead(_buffer.AsMemory(0, length), out var message);
        return message;
    }
}
