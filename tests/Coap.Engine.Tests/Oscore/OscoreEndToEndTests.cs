using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Codec;
using Coap.Engine.Exchanges;
using Coap.Engine.Oscore;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Server.Access;
using Coap.Engine.Tests.EndToEnd;
using Coap.Testing;
using Microsoft.Extensions.Options;

namespace Coap.Engine.Tests.Oscore;

/// <summary>
/// Our client against our server over OSCORE (RFC 8613), on an in-memory network whose every datagram is peeked at:
/// requests and responses travel protected (no Uri-Path, no payload in clear), the resource sees the plain request
/// with the context's identity, which the access policy judges; failures are answered unprotected and never processed.
/// </summary>
public sealed class OscoreEndToEndTests : IAsyncLifetime
{
    private static readonly byte[] Secret = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    private static readonly byte[] Salt = Convert.FromHexString("9e7ca92223786340");

    private readonly InMemoryNetwork _network = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<byte[]> _fromClient = new();
    private readonly ConcurrentQueue<CoapMessage> _fromServer = new();
    private readonly SemaphoreSlim _serverSent = new(0);
    private readonly SemaphoreSlim _clientSent = new(0);
    private readonly TestResource _data = TestResource.Text("hello");
    private readonly TestResource _secret = TestResource.Text("for sensors");
    private readonly BodyStoreResource _store = new([]);
    private readonly TestObservableResource _clock;
    private readonly TestObservableResource _slowClock;
    private readonly CoapEndpoint _server;
    private readonly InMemoryTransport _serverTransport;
    private int _tick;

    public OscoreEndToEndTests()
    {
        _clock = TestObservableResource.Text(() => "tick " + Volatile.Read(ref _tick));
        _slowClock = new TestObservableResource(_ =>
        {
            var response = CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes("tick " + Volatile.Read(ref _tick)));
            response.MaxAge = 3600;
            return response;
        });
        var tree = new ResourceTree();
        tree.Map("data", _data);
        tree.Map("secret", _secret);
        tree.Map("store", _store);
        tree.Map("clock", _clock, TestObservableResource.Metadata);
        tree.Map("slow-clock", _slowClock, TestObservableResource.Metadata);
        var access = new AccessOptions { TrustLoopback = false };
        access.Rules["secret"] = new AccessRule { Read = "sensor" };
        var table = new OscoreContextTable();
        table.Add("sensor", ServerContext([0x01]));
        table.Add("guest", ServerContext([0x02]));
        table.Add("restarted", new OscoreSecurityContext(Parameters([0x03], server: true), new OscoreSequenceState(512, null)));
        (_server, _serverTransport) = TestEndpoints.StartServer(tree, _time, network: _network, access: new AccessPolicy(Options.Create(access)), oscore: table);
        _network.Drop = (datagram, from, _) =>
        {
            if (from.Equals(TestEndpoints.ServerAddress))
            {
                if (CoapMessageReader.TryReadCopy(datagram, out var message) == CoapDecodeError.None && message is not null)
                {
                    _fromServer.Enqueue(message);
                    _serverSent.Release();
                }
            }
            else
            {
                _fromClient.Enqueue(datagram.ToArray());
                _clientSent.Release();
            }

            return false;
        };
    }

    private static string Uri(string path) => $"coap://127.0.0.1:{TestEndpoints.ServerAddress.Port}/{path}";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task A_get_goes_protected_and_comes_back_plain()
    {
        await using var client = Client([0x01]);

        var response = await client.GetAsync(Uri("data"));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal("hello", Encoding.UTF8.GetString(response.Payload.Span));
        var request = Decode(Assert.Single(_fromClient));
        Assert.Equal(CoapCode.Post, request.Code);
        Assert.True(request.Options.Contains(OptionNumber.Oscore));
        Assert.False(request.Options.Contains(OptionNumber.UriPath));
        var answer = Assert.Single(_fromServer);
        Assert.Equal(CoapCode.Changed, answer.Code);
        Assert.DoesNotContain("hello", Encoding.UTF8.GetString(answer.Payload.Span));
    }

    [Fact]
    public async Task A_block_wise_put_arrives_whole_and_reads_back()
    {
        await using var client = Client([0x01], blockSize: 256);
        var body = BlockwiseEndToEndTests.RandomBody(3000, seed: 3);

        var put = await client.PutAsync(Uri("store"), body);
        var get = await client.GetAsync(Uri("store"));

        Assert.Equal(CoapCode.Changed, put.Code);
        Assert.Equal(body, _store.Body);
        Assert.Equal(body, get.Payload.ToArray());
        Assert.True(_fromClient.Count > 12);
        Assert.All(_fromClient, datagram => Assert.True(Decode(datagram).Options.Contains(OptionNumber.Oscore)));
    }

    [Fact]
    public async Task Notifications_of_an_observation_made_through_oscore_are_protected_each_with_its_own_partial_iv()
    {
        await using var client = Client([0x01]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<string>();

        await foreach (var notification in client.ObserveAsync(Uri("clock"), cancel.Token))
        {
            seen.Add(Encoding.UTF8.GetString(notification.Payload.Span));
            if (seen.Count == 3)
            {
                break;
            }

            Interlocked.Increment(ref _tick);
            _clock.Observers.NotifyChanged();
        }

        Assert.Equal(["tick 0", "tick 1", "tick 2"], seen);
        var notifications = _fromServer.Where(m => m.Observe is not null).ToList();
        Assert.True(notifications.Count >= 3);
        var partialIvs = notifications.Skip(1).Select(m => OscoreOptionOf(m)).ToList();
        Assert.All(partialIvs, piv => Assert.NotEqual("", piv));
        Assert.Equal(partialIvs.Count, partialIvs.Distinct().Count());
        Assert.All(notifications, m => Assert.DoesNotContain("tick", Encoding.UTF8.GetString(m.Payload.Span)));
    }

    /// <summary>
    /// RFC 8613 §7.4.1: an attacker sends a protected notification again more than 128 s after the last one, when
    /// RFC 7641's ordering takes any notification as newer; its Partial IV is not above the last one, so the client
    /// drops it and the observation goes on with the next real change. The replay is sent confirmable, and the next
    /// change made only once the client acknowledged it, so that it is ahead of that change.
    /// </summary>
    [Fact]
    public async Task A_protected_notification_sent_again_after_128_s_is_dropped_as_a_replay()
    {
        await using var client = Client([0x01]);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<string>();

        await foreach (var notification in client.ObserveAsync(Uri("slow-clock"), cancel.Token))
        {
            seen.Add(Encoding.UTF8.GetString(notification.Payload.Span));
            if (seen.Count == 3)
            {
                break;
            }

            if (seen.Count == 2)
            {
                var captured = _fromServer.Last(message => message.Observe is not null);
                captured.MessageId = (ushort)(captured.MessageId + 1000);
                captured.Type = CoapMessageType.Confirmable;
                _time.Advance(TimeSpan.FromSeconds(130));
                _serverTransport.Send(CoapMessageWriter.ToArray(captured), new IPEndPoint(IPAddress.Loopback, 50001).Serialize());
                await AcknowledgedAsync(captured.MessageId);
            }

            Interlocked.Increment(ref _tick);
            _slowClock.Observers.NotifyChanged();
        }

        Assert.Equal(["tick 0", "tick 1", "tick 2"], seen);
    }

    [Fact]
    public async Task The_access_policy_judges_the_contexts_identity()
    {
        await using var sensor = Client([0x01]);
        await using var guest = Client([0x02], port: 50002);
        await using var plain = TestEndpoints.CreateClient(_time, _network, new CoapClientOptions { Timeout = TimeSpan.FromSeconds(5) }, port: 50003);

        Assert.Equal(CoapCode.Content, (await sensor.GetAsync(Uri("secret"))).Code);
        Assert.Equal(CoapCode.Forbidden, (await guest.GetAsync(Uri("secret"))).Code);
        Assert.Equal(CoapCode.Unauthorized, (await plain.GetAsync(Uri("secret"))).Code);
        Assert.Equal(CoapCode.Unauthorized, (await plain.PutAsync(Uri("store"), new byte[] { 1 })).Code);
        Assert.Equal(CoapCode.Changed, (await guest.PutAsync(Uri("store"), new byte[] { 2 })).Code);
        Assert.Equal(1, _secret.Calls);
        Assert.Equal(new byte[] { 2 }, _store.Body);
    }

    [Fact]
    public async Task A_replayed_protected_request_is_refused_unprotected_and_not_processed()
    {
        await using var client = Client([0x01]);
        Assert.Equal(CoapCode.Content, (await client.GetAsync(Uri("data"))).Code);
        var captured = Decode(Assert.Single(_fromClient));
        _fromServer.Clear();

        captured.MessageId++;
        while (_serverSent.CurrentCount > 0)
        {
            await _serverSent.WaitAsync();
        }

        var attacker = new IPEndPoint(IPAddress.Loopback, 50009);
        _serverTransport.Deliver(CoapMessageWriter.ToArray(captured), attacker);
        var answer = await NextFromServerAsync();

        Assert.Equal(CoapCode.Unauthorized, answer.Code);
        Assert.False(answer.Options.Contains(OptionNumber.Oscore));
        Assert.Equal("Replay detected", Encoding.UTF8.GetString(answer.Payload.Span));
        Assert.Equal(1, _data.Calls);
    }

    [Fact]
    public async Task An_unknown_kid_gets_an_unprotected_4_01()
    {
        await using var client = Client([0x09]);

        var response = await client.GetAsync(Uri("data"));

        Assert.Equal(CoapCode.Unauthorized, response.Code);
        Assert.Equal("Security context not found", Encoding.UTF8.GetString(response.Payload.Span));
        Assert.False(Assert.Single(_fromServer).Options.Contains(OptionNumber.Oscore));
        Assert.Equal(0, _data.Calls);
    }

    [Fact]
    public async Task A_server_that_lost_its_replay_window_is_answered_through_the_echo_round_trip()
    {
        await using var client = Client([0x03]);

        var response = await client.GetAsync(Uri("data"));

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(2, _fromClient.Count);
        Assert.Equal(1, _data.Calls);
        var challenge = _fromServer.First();
        Assert.Equal(CoapCode.Changed, challenge.Code);
        Assert.False(challenge.Options.Contains(OptionNumber.Echo));
    }

    /// <summary>Waits (bounded) until the client sent the ACK of message <paramref name="messageId"/>.</summary>
    private async Task AcknowledgedAsync(ushort messageId)
    {
        for (var i = 0; i < 50; i++)
        {
            if (_fromClient.Any(datagram => Decode(datagram) is { Type: CoapMessageType.Acknowledgement } ack && ack.MessageId == messageId))
            {
                return;
            }

            Assert.True(await _clientSent.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.Fail($"no ACK of message {messageId}");
    }

    private async Task<CoapMessage> NextFromServerAsync()
    {
        Assert.True(await _serverSent.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(_fromServer.TryDequeue(out var message));
        return message!;
    }

    private static string OscoreOptionOf(CoapMessage message)
    {
        Assert.True(message.Options.TryGet(OptionNumber.Oscore, out var option));
        return Convert.ToHexString(option.Value.Span);
    }

    private CoapClient Client(byte[] clientId, int blockSize = 1024, int port = 50001) =>
        TestEndpoints.CreateClient(_time, _network, new CoapClientOptions
        {
            Timeout = TimeSpan.FromSeconds(5),
            BlockSize = blockSize,
            Oscore = new OscoreSecurityContext(Parameters(clientId, server: false)),
        }, port);

    private static OscoreSecurityContext ServerContext(byte[] clientId) => new(Parameters(clientId, server: true));

    /// <summary>A context between a client with Sender ID <paramref name="clientId"/> and the server (Sender ID empty).</summary>
    private static OscoreContextParameters Parameters(byte[] clientId, bool server) =>
        server ? new(Secret, [], clientId, Salt) : new(Secret, clientId, [], Salt);

    private static CoapMessage Decode(byte[] datagram)
    {
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryReadCopy(datagram, out var message));
        return message!;
    }
}
