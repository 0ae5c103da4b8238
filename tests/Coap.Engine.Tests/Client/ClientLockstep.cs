using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Codec;
using Coap.Engine.Protocol;
using Coap.Engine.Transport;
using Coap.Testing;

namespace Coap.Engine.Tests.Client;

/// <summary>A <see cref="CoapClient"/> on a lockstep transport: the test reads each request and plays the server.</summary>
internal sealed class ClientLockstep : IAsyncDisposable
{
    public static readonly IPEndPoint Server = TestEndpoints.ServerAddress;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly InMemoryTransport _transport = new(new IPEndPoint(IPAddress.Loopback, 50002));
    private ushort _nextMessageId = 0x4000;

    /// <param name="options">The client's options.</param>
    /// <param name="time">The client's clock; <see cref="Time"/> (fake, advanced by the test) unless given.</param>
    /// <param name="wrap">Wraps the lockstep transport before the client gets it (to hook into what the client sends).</param>
    public ClientLockstep(CoapClientOptions? options = null, TimeProvider? time = null, Func<InMemoryTransport, IDatagramTransport>? wrap = null)
    {
        Client = new CoapClient(options ?? new CoapClientOptions(), time ?? Time, null, wrap?.Invoke(_transport) ?? _transport);
    }

    public FakeTimeProvider Time { get; } = new();

    public CoapClient Client { get; }

    public static string Uri(string path) => $"coap://127.0.0.1:{Server.Port}/{path}";

    /// <summary>The next message the client sends, waiting a few seconds of real time for it.</summary>
    public async Task<CoapMessage> NextAsync() => (await _transport.NextAsync(Patience)).Decode();

    /// <summary>True when the client has sent nothing more.</summary>
    public bool IsQuiet => _transport.PendingCount == 0;

    /// <summary>Answers a CON request with a piggybacked response.</summary>
    public void Reply(CoapMessage request, CoapCode code, ReadOnlyMemory<byte> payload = default, Action<CoapMessage>? options = null)
    {
        var response = CoapMessage.CreateResponse(code, payload);
        response.Type = CoapMessageType.Acknowledgement;
        response.MessageId = request.MessageId;
        response.Token = request.Token;
        options?.Invoke(response);
        Deliver(response);
    }

    /// <summary>Sends a separate response (a notification) with the given token.</summary>
    public ushort Notify(CoapToken token, CoapMessageType type, CoapCode code, ReadOnlyMemory<byte> payload, Action<CoapMessage>? options = null)
    {
        var response = CoapMessage.CreateResponse(code, payload);
        response.Type = type;
        response.MessageId = _nextMessageId++;
        response.Token = token;
        options?.Invoke(response);
        Deliver(response);
        return response.MessageId;
    }

    public void Deliver(CoapMessage message) => _transport.Deliver(CoapMessageWriter.ToArray(message), Server);

    public async ValueTask DisposeAsync() => await Client.DisposeAsync();
}
