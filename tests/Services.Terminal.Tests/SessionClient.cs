using System.Text;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Services.Terminal.Tests;

/// <summary>
/// A test's view of one session: it observes the output, fills any gap with FETCH, keeps the text and the exit status,
/// and types input as "offset, bytes" pairs. Waiting for text is event-driven with a bounded timeout.
/// </summary>
internal sealed class SessionClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly CoapClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly MemoryStream _output = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _observing = Task.CompletedTask;
    private long _inputOffset;

    private SessionClient(CoapClient client, string uri)
    {
        _client = client;
        Uri = uri;
    }

    /// <summary>"coap://host:port/term/{id}/".</summary>
    public string Uri { get; }

    /// <summary>How many notifications were observed.</summary>
    public int Notifications { get; private set; }

    /// <summary>How many gaps in the notified offsets FETCH filled.</summary>
    public int Fetches { get; private set; }

    public Task<int> Exit => _exit.Task;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_output.GetBuffer(), 0, (int)_output.Length);
            }
        }
    }

    public static async Task<SessionClient> StartAsync(TerminalServer server)
    {
        var created = await server.Client.PostAsync(server.Uri("/term/"), ReadOnlyMemory<byte>.Empty);
        Assert.Equal(CoapCode.Created, created.Code);
        var location = created.GetLocationPath();
        Assert.Matches("^/term/[0-9a-f]+/$", location);
        var session = new SessionClient(server.Client, server.Uri(location));
        session._observing = session.ObserveAsync();
        return session;
    }

    public async Task TypeAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var response = await _client.PostAsync(Uri + "in", OutputChunkReader.Pair(_inputOffset, bytes), ContentFormat.Cbor);
        Assert.Equal(CoapCode.Changed, response.Code);
        _inputOffset += bytes.Length;
        Assert.Equal(_inputOffset, OutputChunkReader.DecodeOffset(response.Payload));
    }

    /// <summary>Waits until the output matches; fails with the output so far after a bounded time.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            var text = Text;
            if (condition(text))
            {
                return text;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var held = await _client.GetAsync(Uri + "out");
                var server = held.Code.IsSuccess ? Encoding.UTF8.GetString(OutputChunkReader.Decode(held.Payload).Bytes) : held.Code.ToString();
                Assert.Fail($"Timed out waiting for {what}; the output observed was:\n{text}\nthe server holds:\n{server}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _observing;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose.
        }

        _stop.Dispose();
    }

    private async Task ObserveAsync()
    {
        await foreach (var notification in _client.ObserveAsync(Uri + "out", _stop.Token))
        {
            if (!notification.Code.IsSuccess)
            {
                _exit.TrySetException(new InvalidOperationException("observation ended with " + notification.Code));
                Signal();
                return;
            }

            Notifications++;
            var (offset, bytes, exit) = OutputChunkReader.Decode(notification.Payload);
            while (offset > _output.Length)
            {
                Fetches++;
                var fetched = await _client.FetchAsync(Uri + "out", OutputChunkReader.Offset(_output.Length), ContentFormat.Cbor, _stop.Token);
                Assert.Equal(CoapCode.Content, fetched.Code);
                var (from, missing, _) = OutputChunkReader.Decode(fetched.Payload);
                Assert.NotEmpty(missing);
                Append(from, missing);
            }

            Append(offset, bytes);
            if (exit is { } status)
            {
                _exit.TrySetResult(status);
            }

            Signal();
        }
    }

    private void Append(long offset, byte[] bytes)
    {
        lock (_gate)
        {
            var skip = _output.Length - offset;
            if (skip < bytes.Length)
            {
                _output.Write(bytes, (int)skip, bytes.Length - (int)skip);
            }
        }
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.SetResult();
    }
}
