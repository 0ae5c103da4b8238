using Coap.Engine.Protocol;

namespace Services.FileServer.Tests;

public sealed class ObserveTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _files.DisposeAsync();

    private CoapMessage Observe(params string[] segments)
    {
        var request = _files.Request(CoapCode.Get, segments);
        request.Observe = 0;
        return _files.Exchange(request);
    }

    /// <summary>
    /// Makes a change outside the service and returns the notification it causes: file system events arrive on the
    /// watcher's own thread, so this awaits the coalescing timer being armed, then lets it fire.
    /// </summary>
    private async Task<CoapMessage> NotificationAfterAsync(Action change)
    {
        var armed = _files.Server.Time.WhenArmedAsync(FileChangeNotifier.Delay);
        change();
        await armed.WaitAsync(TimeSpan.FromSeconds(10));
        _files.Server.Time.Advance(FileChangeNotifier.Delay);
        return _files.Server.Peer.Expect();
    }

    [Fact]
    public void A_put_through_the_service_notifies_the_files_observer_after_the_delay()
    {
        _files.Put("v1"u8.ToArray(), "f.txt");
        var first = Observe("f.txt");
        Assert.NotNull(first.Observe);

        _files.Put("v2"u8.ToArray(), "f.txt");
        _files.Server.Peer.ExpectNothing();
        _files.Server.Time.Advance(FileChangeNotifier.Delay);
        var notification = _files.Server.Peer.Expect();

        Assert.Equal(first.Token, notification.Token);
        Assert.True(notification.Observe > first.Observe);
        Assert.Equal("v2", FileServerFixture.Text(notification));
    }

    [Fact]
    public void A_burst_of_writes_is_one_notification()
    {
        Observe("");
        for (var i = 0; i < 10; i++)
        {
            _files.Put([(byte)i], $"f{i}.bin");
        }

        _files.Server.Time.Advance(FileChangeNotifier.Delay);
        var notification = _files.Server.Peer.Expect();
        _files.Server.Peer.ExpectNothing();

        Assert.Equal(10, FileServerFixture.Text(notification).Split(',').Length);
    }

    [Fact]
    public async Task A_change_made_outside_the_service_notifies_the_directorys_observer()
    {
        Directory.CreateDirectory(_files.InRoot("d"));
        var first = Observe("d", "");
        Assert.True(first.Payload.IsEmpty);

        var notification = await NotificationAfterAsync(() => File.WriteAllText(_files.InRoot("d", "new.txt"), "hello"));

        Assert.Equal(first.Token, notification.Token);
        Assert.Contains("<new.txt>", FileServerFixture.Text(notification), StringComparison.Ordinal);
    }

    [Fact]
    public void Deleting_the_observed_file_ends_the_observation_with_4_04()
    {
        _files.Put("v1"u8.ToArray(), "f.txt");
        Observe("f.txt");

        _files.Delete("f.txt");
        _files.Server.Time.Advance(FileChangeNotifier.Delay);
        var last = _files.Server.Peer.Expect();

        Assert.Equal(CoapCode.NotFound, last.Code);
        Assert.Null(last.Observe);
    }
}
