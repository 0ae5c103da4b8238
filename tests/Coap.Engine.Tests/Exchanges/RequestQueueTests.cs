using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Coap.Engine.Codec;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Exchanges;

/// <summary>
/// Handlers run on the request queue's workers, not on the receive thread: a peer whose requests block or flood
/// holds one worker and waits its turn (round robin over peers), and a request the queue has no room for is answered
/// 5.03 with Max-Age at once. A handler here "blocks" on an event the test sets; every wait is bounded, so on a server
/// that ran handlers on the receive thread these tests fail after the bound instead of hanging.
/// </summary>
public sealed class RequestQueueTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly ManualResetEventSlim _release = new();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

    [Fact]
    public async Task A_peer_flooding_requests_that_block_does_not_hold_up_another_peers_get()
    {
        var tree = new ResourceTree();
        tree.Map("slow", Blocking());
        tree.Map("time", TestResource.Text("now"));
        await using var server = TestEndpoints.StartUdpServer(tree, new CoapEndpointOptions { RequestWorkers = 2 });
        var address = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoints[0].Port);
        using var flooder = Bind();
        using var other = Bind();

        for (ushort id = 1; id <= 20; id++)
        {
            flooder.SendTo(CoapMessageWriter.ToArray(Request("slow", id, CoapMessageType.NonConfirmable)), address);
        }

        await _entered.Task.WaitAsync(Bound);
        other.SendTo(CoapMessageWriter.ToArray(Request("time", 100, CoapMessageType.Confirmable)), address);
        var answer = await ReceiveAsync(other);
        var releasedBeforeTheAnswer = _release.IsSet;
        _release.Set();
        var flood = new List<CoapMessage>();
        for (var i = 0; i < 20; i++)
        {
            flood.Add(await ReceiveAsync(flooder));
        }

        Assert.False(releasedBeforeTheAnswer);
        Assert.Equal(CoapCode.Content, answer.Code);
        Assert.Equal(100, answer.MessageId);
        Assert.All(flood, response => Assert.Equal(CoapCode.Content, response.Code));
    }

    [Fact]
    public async Task A_resource_that_runs_inline_answers_while_the_only_worker_is_held()
    {
        var threads = new ConcurrentQueue<string?>();
        var tree = new ResourceTree();
        tree.Map("slow", Blocking());
        tree.Map("quick", new TestResource(_ =>
        {
            threads.Enqueue(Thread.CurrentThread.Name);
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
        }), new ResourceMetadata { RunsInline = true });
        await using var server = TestEndpoints.StartUdpServer(tree, new CoapEndpointOptions { RequestWorkers = 1 });
        var address = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoints[0].Port);
        using var blocker = Bind();
        using var other = Bind();

        blocker.SendTo(CoapMessageWriter.ToArray(Request("slow", 1, CoapMessageType.Confirmable)), address);
        await _entered.Task.WaitAsync(Bound);
        other.SendTo(CoapMessageWriter.ToArray(Request("quick", 100, CoapMessageType.Confirmable)), address);
        var answer = await ReceiveAsync(other);
        var releasedBeforeTheAnswer = _release.IsSet;
        _release.Set();
        var held = await ReceiveAsync(blocker);

        Assert.False(releasedBeforeTheAnswer);
        Assert.Equal((CoapCode.Content, (ushort)100), (answer.Code, answer.MessageId));
        Assert.Equal(CoapCode.Content, held.Code);
        Assert.StartsWith("coap-udp", Assert.Single(threads));
    }

    [Fact]
    public async Task When_as_many_peers_block_as_there_are_processors_a_spare_worker_answers_another_peer()
    {
        var blockers = Environment.ProcessorCount;
        var entered = 0;
        var allEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tree = new ResourceTree();
        tree.Map("slow", new TestResource(_ =>
        {
            if (Interlocked.Increment(ref entered) == blockers)
            {
                allEntered.TrySetResult();
            }

            _release.Wait(Bound);
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
        }));
        tree.Map("time", TestResource.Text("now"));
        await using var server = TestEndpoints.StartUdpServer(tree, new CoapEndpointOptions { RequestWorkers = blockers + 1 });
        var address = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoints[0].Port);
        var peers = Enumerable.Range(0, blockers).Select(_ => Bind()).ToList();
        using var other = Bind();

        for (var i = 0; i < blockers; i++)
        {
            peers[i].SendTo(CoapMessageWriter.ToArray(Request("slow", (ushort)(i + 1), CoapMessageType.Confirmable)), address);
        }

        await allEntered.Task.WaitAsync(Bound);
        other.SendTo(CoapMessageWriter.ToArray(Request("time", 100, CoapMessageType.Confirmable)), address);
        var answer = await ReceiveAsync(other);
        var releasedBeforeTheAnswer = _release.IsSet;
        _release.Set();
        var blocked = new List<CoapMessage>();
        foreach (var peer in peers)
        {
            blocked.Add(await ReceiveAsync(peer));
            peer.Dispose();
        }

        Assert.False(releasedBeforeTheAnswer);
        Assert.Equal((CoapCode.Content, (ushort)100), (answer.Code, answer.MessageId));
        Assert.All(blocked, response => Assert.Equal(CoapCode.Content, response.Code));
    }

    [Fact]
    public async Task A_request_beyond_the_peers_share_or_the_whole_queue_is_answered_5_03_with_max_age_at_once()
    {
        var slow = Blocking();
        var options = new CoapEndpointOptions { RequestWorkers = 1, MaxQueuedRequests = 3, MaxQueuedRequestsPerPeer = 2 };
        await using var server = new ServerFixture(t => t.Map("slow", slow), options);
        var a = new IPEndPoint(IPAddress.Loopback, 40001);
        var b = new IPEndPoint(IPAddress.Loopback, 40002);
        var c = new IPEndPoint(IPAddress.Loopback, 40003);

        Arrive(server, a, Request("slow", 1, CoapMessageType.Confirmable));
        await _entered.Task.WaitAsync(Bound);
        Arrive(server, a, Request("slow", 2, CoapMessageType.Confirmable));
        Arrive(server, a, Request("slow", 3, CoapMessageType.NonConfirmable));
        Arrive(server, a, Request("slow", 4, CoapMessageType.Confirmable));
        var peerFull = Sent(server, a);
        Arrive(server, b, Request("slow", 5, CoapMessageType.Confirmable));
        Arrive(server, c, Request("slow", 6, CoapMessageType.NonConfirmable));
        var queueFull = Sent(server, c);
        Assert.False(server.Transport.TryTake(out _));

        Assert.Equal((CoapMessageType.Acknowledgement, CoapCode.ServiceUnavailable, (ushort)4), (peerFull.Type, peerFull.Code, peerFull.MessageId));
        Assert.Equal((CoapMessageType.NonConfirmable, CoapCode.ServiceUnavailable), (queueFull.Type, queueFull.Code));
        Assert.Equal(2u, peerFull.MaxAge);
        Assert.Equal(2u, queueFull.MaxAge);
        Assert.Equal(1, slow.Calls);

        _release.Set();
        var answered = new List<ushort>();
        for (var i = 0; i < 4; i++)
        {
            var response = (await server.Transport.NextAsync(Bound)).Decode();
            Assert.Equal(CoapCode.Content, response.Code);
            answered.Add(response.Type == CoapMessageType.Acknowledgement ? response.MessageId : (ushort)0);
        }

        Assert.Equal(4, slow.Calls);
        Assert.Equal(new ushort[] { 1, 2, 5 }, answered.Where(id => id != 0).Order());
    }

    [Fact]
    public async Task By_default_one_peers_share_of_the_queue_holds_a_whole_q_block_window_none_of_it_answered_5_03()
    {
        // A Q-Block1 upload keeps up to MaxWindow blocks in flight; on loopback they all wait in the queue at once.
        var slow = Blocking();
        await using var server = new ServerFixture(t => t.Map("slow", slow), new CoapEndpointOptions { RequestWorkers = 1 });
        var a = new IPEndPoint(IPAddress.Loopback, 40001);
        Arrive(server, a, Request("slow", 1, CoapMessageType.NonConfirmable));
        await _entered.Task.WaitAsync(Bound);

        for (var i = 0; i < new Coap.Engine.Blockwise.CoapQBlockOptions().MaxWindow; i++)
        {
            Arrive(server, a, Request("slow", (ushort)(2 + i), CoapMessageType.NonConfirmable));
        }

        var answered = server.Transport.TryTake(out var sent);
        _release.Set();
        Assert.False(answered, $"sent {sent?.Decode()}");
    }

    [Fact]
    public async Task Peers_are_served_in_turn_so_another_peers_request_goes_before_a_floods_backlog()
    {
        var handled = new ConcurrentQueue<(int Port, ushort MessageId)>();
        var first = true;
        var resource = new TestResource(context =>
        {
            handled.Enqueue((context.Peer.EndPoint.Port, context.Request.MessageId));
            if (first)
            {
                first = false;
                _entered.TrySetResult();
                _release.Wait(Bound);
            }

            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
        });
        await using var server = new ServerFixture(t => t.Map("r", resource), new CoapEndpointOptions { RequestWorkers = 1 });
        var flooder = new IPEndPoint(IPAddress.Loopback, 40001);
        var other = new IPEndPoint(IPAddress.Loopback, 40002);

        Arrive(server, flooder, Request("r", 1, CoapMessageType.NonConfirmable));
        await _entered.Task.WaitAsync(Bound);
        for (ushort id = 2; id <= 20; id++)
        {
            Arrive(server, flooder, Request("r", id, CoapMessageType.NonConfirmable));
        }

        Arrive(server, other, Request("r", 500, CoapMessageType.NonConfirmable));
        Arrive(server, other, Request("r", 501, CoapMessageType.NonConfirmable));
        _release.Set();
        Assert.True(server.Endpoint.Requests!.WaitUntilIdle(Bound));

        Assert.Equal(
            new (int Port, ushort MessageId)[] { (40001, 1), (40002, 500), (40001, 2), (40002, 501), (40001, 3), (40001, 4) },
            handled.Take(6));
        Assert.Equal(Enumerable.Range(1, 20).Select(id => (ushort)id), handled.Where(h => h.Port == 40001).Select(h => h.MessageId));
        Assert.Equal(22, handled.Count);
    }

    [Fact]
    public async Task A_queued_con_request_gets_its_empty_ack_separate_response_after_its_arrival_not_its_turn()
    {
        var answer = new TaskCompletionSource<CoapMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new TestResource(_ => new ValueTask<CoapMessage>(answer.Task));
        await using var server = new ServerFixture(
            t =>
            {
                t.Map("slow", Blocking());
                t.Map("pending", pending);
            },
            new CoapEndpointOptions { RequestWorkers = 1 });
        var a = new IPEndPoint(IPAddress.Loopback, 40001);
        var b = new IPEndPoint(IPAddress.Loopback, 40002);
        var separateAfter = new CoapEndpointOptions().SeparateResponseAfter;

        Arrive(server, a, Request("slow", 1, CoapMessageType.NonConfirmable));
        await _entered.Task.WaitAsync(Bound);
        Arrive(server, b, Request("pending", 2, CoapMessageType.Confirmable));
        server.Time.Advance(separateAfter * 0.6);
        _release.Set();
        Assert.True(server.Endpoint.Requests!.WaitUntilIdle(Bound));
        Assert.Equal(1, pending.Calls);
        Assert.Equal(CoapCode.Content, Sent(server, a).Code);
        Assert.False(server.Transport.TryTake(out _));

        server.Time.Advance(separateAfter * 0.4);

        var ack = Sent(server, b);
        Assert.Equal((CoapMessageType.Acknowledgement, (ushort)2), (ack.Type, ack.MessageId));
        Assert.True(ack.IsEmpty);
        answer.SetResult(CoapMessage.CreateResponse(CoapCode.Content));
        Assert.Equal(CoapMessageType.Confirmable, (await server.Transport.NextAsync(Bound)).Decode().Type);
    }

    [Fact]
    public async Task An_answer_a_worker_holds_for_its_run_goes_out_before_the_next_handler_blocks_in_a_flush_to_disk()
    {
        // One worker: the first request's handler waits until the second is queued, so the worker takes the second
        // in the same run and holds the first answer in its send batch; the second's handler flushes a file to disk,
        // then blocks. The first answer must not wait for it.
        using var firstMayEnd = new ManualResetEventSlim();
        var firstEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var path = Path.Combine(Path.GetTempPath(), $"coap-flush-{Guid.NewGuid():N}");
        var tree = new ResourceTree();
        tree.Map("first", new TestResource(_ =>
        {
            firstEntered.TrySetResult();
            firstMayEnd.Wait(Bound);
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
        }));
        tree.Map("durable", new TestResource(_ =>
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
                file.WriteByte(1);
                Coap.Engine.Hosting.DirectorySync.FlushFile(file);
            }

            _release.Wait(Bound);
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Changed));
        }));
        await using var server = TestEndpoints.StartUdpServer(tree, new CoapEndpointOptions { RequestWorkers = 1 });
        var address = new IPEndPoint(IPAddress.Loopback, server.LocalEndPoints[0].Port);
        using var a = Bind();
        using var b = Bind();

        a.SendTo(CoapMessageWriter.ToArray(Request("first", 1, CoapMessageType.Confirmable)), address);
        await firstEntered.Task.WaitAsync(Bound);
        b.SendTo(CoapMessageWriter.ToArray(Request("durable", 2, CoapMessageType.Confirmable)), address);
        Assert.True(SpinWait.SpinUntil(() => server.Requests!.Count == 1, Bound), "the second request was not queued");
        firstMayEnd.Set();
        var first = await ReceiveAsync(a);
        var releasedBeforeTheAnswer = _release.IsSet;
        _release.Set();
        var durable = await ReceiveAsync(b);

        Assert.False(releasedBeforeTheAnswer);
        Assert.Equal((CoapCode.Content, (ushort)1), (first.Code, first.MessageId));
        Assert.Equal((CoapCode.Changed, (ushort)2), (durable.Code, durable.MessageId));
    }

    [Theory]
    [InlineData(0, 512, 32, "Coap:RequestWorkers")]
    [InlineData(2, 0, 1, "Coap:MaxQueuedRequests")]
    [InlineData(2, 512, 0, "Coap:MaxQueuedRequestsPerPeer")]
    [InlineData(2, 16, 17, "Coap:MaxQueuedRequestsPerPeer")]
    public void The_queue_settings_are_checked_naming_the_key(int workers, int queued, int perPeer, string key)
    {
        var options = new CoapServerOptions { RequestWorkers = workers, MaxQueuedRequests = queued, MaxQueuedRequestsPerPeer = perPeer };

        var result = new CoapServerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(512, 128)]
    [InlineData(64, 16)]
    [InlineData(2, 1)]
    public void Unset_one_peers_share_is_a_quarter_of_the_queue_so_a_smaller_queue_still_validates(int queued, int perPeer)
    {
        var options = new CoapServerOptions { MaxQueuedRequests = queued };

        var result = new CoapServerOptionsValidator().Validate(null, options);

        Assert.False(result.Failed, result.FailureMessage);
        Assert.Equal(perPeer, options.PerPeerQueueLimit);
    }

    [Fact]
    public async Task Stopping_the_endpoint_waits_for_the_handler_that_is_running()
    {
        var handlerReturned = false;
        var tree = new ResourceTree();
        tree.Map("slow", new TestResource(_ =>
        {
            _entered.TrySetResult();
            _release.Wait(Bound);
            Volatile.Write(ref handlerReturned, true);
            return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
        }));
        var server = TestEndpoints.StartUdpServer(tree);
        using var client = Bind();
        client.SendTo(CoapMessageWriter.ToArray(Request("slow", 1, CoapMessageType.NonConfirmable)), new IPEndPoint(IPAddress.Loopback, server.LocalEndPoints[0].Port));
        await _entered.Task.WaitAsync(Bound);

        var stopping = Task.Run(async () => await server.DisposeAsync());
        var stoppedDuringTheHandler = await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(300))) == stopping;
        _release.Set();
        await stopping.WaitAsync(Bound);

        Assert.False(stoppedDuringTheHandler);
        Assert.True(Volatile.Read(ref handlerReturned));
    }

    /// <summary>Answers 2.05, the first call only after the test releases it (bounded), telling the test it began.</summary>
    private TestResource Blocking() => new(_ =>
    {
        if (_entered.TrySetResult())
        {
            _release.Wait(Bound);
        }

        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content));
    });

    private static CoapMessage Request(string path, ushort messageId, CoapMessageType type) =>
        ServerFixture.Request(CoapCode.Get, path, messageId, type, token: messageId);

    private static void Arrive(ServerFixture server, IPEndPoint from, CoapMessage request) =>
        server.Transport.Arrive(CoapMessageWriter.ToArray(request), from);

    /// <summary>What the server has sent (already, not later) to <paramref name="to"/>.</summary>
    private static CoapMessage Sent(ServerFixture server, IPEndPoint to)
    {
        Assert.True(server.Transport.TryTake(out var sent), "nothing was sent");
        Assert.Equal(to.Port, sent!.Remote.Port);
        return sent.Decode();
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static async Task<CoapMessage> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(Bound);
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.Equal(CoapDecodeError.None, CoapMessageReader.TryRead(buffer.AsSpan(0, length).ToArray(), out var message));
        return message!;
    }
}
