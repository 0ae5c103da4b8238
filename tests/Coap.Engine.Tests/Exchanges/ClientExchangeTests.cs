using System.Net;
using Coap.Engine.Client;
using Coap.Engine.Codec;
using Coap.Engine.Exchanges;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Coap.Engine.Tests.Exchanges;

/// <summary>The client side of exchanges, with the test playing the server byte for byte.</summary>
public sealed class ClientExchangeTests : IAsyncLifetime
{
    private static readonly IPEndPoint Server = TestEndpoints.ServerAddress;
    private readonly FakeTimeProvider _time = new();
    private readonly CoapEndpoint _client;
    private readonly InMemoryTransport _transport;

    public ClientExchangeTests()
    {
        (_client, _transport) = TestEndpoints.StartClientEndpoint(_time);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _client.DisposeAsync().AsTask();

    private CoapMessage Sent()
    {
        Assert.True(_transport.TryTake(out var sent), "the client sent nothing");
        Assert.Equal(Server.Port, sent!.Remote.Port);
        return sent.Decode();
    }

    private void Reply(CoapMessage message) => _transport.Deliver(CoapMessageWriter.ToArray(message), Server);

    private static CoapMessage Get() => CoapMessage.CreateRequest(CoapCode.Get, "time");

    [Fact]
    public async Task Piggybacked_response_completes_the_request()
    {
        var pending = _client.SendRequestAsync(Get(), Server);
        var request = Sent();
        Assert.Equal(CoapMessageType.Confirmable, request.Type);
        Assert.Equal(8, request.Token.Length);

        var ack = CoapMessage.CreateResponse(CoapCode.Content, "now"u8.ToArray());
        ack.Type = CoapMessageType.Acknowledgement;
        ack.MessageId = request.MessageId;
        ack.Token = request.Token;
        Reply(ack);

        var response = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("now"u8.ToArray(), response.Payload.ToArray());
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.False(_transport.TryTake(out _), "an acknowledged request must not be retransmitted");
    }

    [Fact]
    public async Task A_peer_flooding_an_observation_its_reader_does_not_keep_up_with_costs_bounded_memory()
    {
        var registration = Get();
        registration.Observe = 0;
        registration.Type = CoapMessageType.NonConfirmable;
        var exchange = _client.OpenStream(registration, Server);
        _client.Transmit(exchange, registration);
        var sent = Sent();

        // Nobody reads: the peer sends five times as many notifications as may wait.
        for (var i = 0; i < 5 * ClientExchange.MaxQueued; i++)
        {
            var notification = CoapMessage.CreateResponse(CoapCode.Content, new[] { (byte)i });
            notification.Type = CoapMessageType.NonConfirmable;
            notification.MessageId = (ushort)(i + 1);
            notification.Token = sent.Token;
            notification.Observe = i + 2;
            Reply(notification);
        }

        var reader = exchange.Notifications!.Reader;
        Assert.Equal(ClientExchange.MaxQueued, reader.Count);
        var first = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, first.Observe);
        _client.CloseStream(exchange);
    }

    [Fact]
    public async Task An_unacknowledged_con_ends_a_stream_only_when_its_peer_never_answered_on_it()
    {
        // Both streams send a CON, then a NON (as a Q-Block2 transfer's probe and its next request); the peer answers
        // the first stream's NON only, and neither CON is ever acknowledged.
        var (answered, answeredToken) = OpenWithConThenNon();
        var (silent, _) = OpenWithConThenNon();
        var block = CoapMessage.CreateResponse(CoapCode.Content, "block"u8.ToArray());
        block.Type = CoapMessageType.NonConfirmable;
        block.MessageId = 0x4242;
        block.Token = answeredToken;
        Reply(block);

        var step = TimeSpan.FromMilliseconds(100);
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(200); elapsed += step)
        {
            _time.Advance(step);
            while (_transport.TryTake(out _))
            {
            }
        }

        await Assert.ThrowsAsync<CoapTimeoutException>(() => silent.Notifications!.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(5)));
        var reader = answered.Notifications!.Reader;
        Assert.Equal("block"u8.ToArray(), (await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Payload.ToArray());
        Assert.False(reader.Completion.IsCompleted, "the stream ended though its peer answers on it");
        _client.CloseStream(answered);
        _client.CloseStream(silent);
    }

    private (ClientExchange Exchange, CoapToken Token) OpenWithConThenNon()
    {
        var probe = Get();
        var exchange = _client.OpenStream(probe, Server);
        _client.Transmit(exchange, probe);
        var token = Sent().Token;
        var next = Get();
        next.Type = CoapMessageType.NonConfirmable;
        _client.Transmit(exchange, next);
        Sent();
        return (exchange, token);
    }

    [Fact]
    public async Task Con_is_retransmitted_with_doubling_timeouts_then_times_out()
    {
        var pending = _client.SendRequestAsync(Get(), Server);
        var original = CoapMessageWriter.ToArray(Sent());
        var times = new List<TimeSpan>();
        var step = TimeSpan.FromMilliseconds(10);
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(100); elapsed += step)
        {
            _time.Advance(step);
            while (_transport.TryTake(out var sent))
            {
                Assert.Equal(original, sent!.Bytes);
                times.Add(elapsed + step);
            }
        }

        Assert.Equal(4, times.Count);
        Assert.InRange(times[0].TotalSeconds, 2.0, 3.0 + 0.01);
        var previous = times[0];
        for (var i = 1; i < times.Count; i++)
        {
            var interval = times[i] - times[i - 1];
            Assert.InRange(interval.TotalMilliseconds, (2 * previous.TotalMilliseconds) - 40, (2 * previous.TotalMilliseconds) + 40);
            previous = interval;
        }

        await Assert.ThrowsAsync<CoapTimeoutException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Rst_cancels_the_request()
    {
        var pending = _client.SendRequestAsync(Get(), Server);
        var request = Sent();

        Reply(CoapMessage.CreateEmpty(CoapMessageType.Reset, request.MessageId));

        await Assert.ThrowsAsync<CoapResetException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.False(_transport.TryTake(out _));
    }

    [Fact]
    public async Task Separate_con_response_is_acknowledged_and_delivered()
    {
        var pending = _client.SendRequestAsync(Get(), Server);
        var request = Sent();
        Reply(CoapMessage.CreateEmpty(CoapMessageType.Acknowledgement, request.MessageId));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(_transport.TryTake(out _), "an empty ACK stops retransmission");

        var response = CoapMessage.CreateResponse(CoapCode.Content, "later"u8.ToArray());
        response.Type = CoapMessageType.Confirmable;
        response.MessageId = 0x7777;
        response.Token = request.Token;
        Reply(response);

        var ack = Sent();
        Assert.Equal(CoapMessageType.Acknowledgement, ack.Type);
        Assert.Equal(0x7777, ack.MessageId);
        Assert.True(ack.IsEmpty);
        Assert.Equal("later"u8.ToArray(), (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Payload.ToArray());
    }

    [Fact]
    public void Response_with_an_unknown_token_is_reset()
    {
        var stray = CoapMessage.CreateResponse(CoapCode.Content);
        stray.Type = CoapMessageType.Confirmable;
        stray.MessageId = 0x0101;
        stray.Token = CoapToken.FromUInt64(0xDEAD, 2);

        Reply(stray);

        var rst = Sent();
        Assert.Equal(CoapMessageType.Reset, rst.Type);
        Assert.Equal(0x0101, rst.MessageId);
    }

    [Fact]
    public async Task Nstart_holds_a_second_request_until_the_first_completes()
    {
        var first = _client.SendRequestAsync(Get(), Server);
        var second = _client.SendRequestAsync(Get(), Server);
        var request = Sent();
        Assert.False(_transport.TryTake(out _), "NSTART 1 allows one outstanding request");

        var ack = CoapMessage.CreateResponse(CoapCode.Content);
        ack.Type = CoapMessageType.Acknowledgement;
        ack.MessageId = request.MessageId;
        ack.Token = request.Token;
        Reply(ack);
        await first.WaitAsync(TimeSpan.FromSeconds(5));

        var next = await _transport.NextAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CoapCode.Get, next.Decode().Code);
        Assert.False(second.IsCompleted);
    }

    [Fact]
    public async Task Non_request_is_sent_once_and_matched_by_token()
    {
        var message = Get();
        message.Type = CoapMessageType.NonConfirmable;
        var pending = _client.SendRequestAsync(message, Server);
        var request = Sent();
        Assert.Equal(CoapMessageType.NonConfirmable, request.Type);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(_transport.TryTake(out _), "NON is never retransmitted");

        var response = CoapMessage.CreateResponse(CoapCode.Content);
        response.Type = CoapMessageType.NonConfirmable;
        response.MessageId = 5;
        response.Token = request.Token;
        Reply(response);

        Assert.Equal(CoapCode.Content, (await pending.WaitAsync(TimeSpan.FromSeconds(5))).Code);
    }

    [Fact]
    public async Task Cancellation_ends_the_request_and_its_retransmission()
    {
        using var cancel = new CancellationTokenSource();
        var pending = _client.SendRequestAsync(Get(), Server, cancel.Token);
        Sent();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(5)));
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.False(_transport.TryTake(out _));
    }
}
