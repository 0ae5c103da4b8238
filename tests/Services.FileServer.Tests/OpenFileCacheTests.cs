using Coap.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Services.FileServer.FileSystem;

namespace Services.FileServer.Tests;

/// <summary>The bounds of the open-file cache: idle files are closed, the count is capped, a rented handle outlives its entry.</summary>
public sealed class OpenFileCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("open-files-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly OpenFileCache _cache;

    public OpenFileCacheTests()
    {
        _cache = new OpenFileCache(_time, NullLogger.Instance);
    }

    public void Dispose()
    {
        _cache.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void An_unchanged_file_is_rented_with_the_handle_it_was_added_with()
    {
        var (entry, handle, stat) = Open("a.txt", "aaa");
        _cache.Add("a.txt", entry, handle, stat, stat.EntityTag());

        Assert.True(_cache.TryRent("a.txt", out var lease));
        using (lease)
        {
            Assert.Same(handle, lease.File.Handle);
        }

        Assert.False(_cache.TryRent("b.txt", out _));
    }

    [Fact]
    public void A_file_idle_for_the_limit_is_closed()
    {
        var (entry, handle, stat) = Open("a.txt", "aaa");
        _cache.Add("a.txt", entry, handle, stat, stat.EntityTag());

        _time.Advance(OpenFileCache.IdleLimit - TimeSpan.FromSeconds(1));
        Assert.Equal(1, _cache.Count);
        _time.Advance(OpenFileCache.IdleLimit);

        Assert.Equal(0, _cache.Count);
        Assert.True(handle.IsClosed);
    }

    [Fact]
    public void Beyond_the_capacity_the_least_recently_used_file_is_closed()
    {
        var handles = new List<SafeFileHandle>();
        for (var i = 0; i <= OpenFileCache.Capacity; i++)
        {
            var (entry, handle, stat) = Open($"f{i}", "x");
            _cache.Add($"f{i}", entry, handle, stat, stat.EntityTag());
            handles.Add(handle);
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(OpenFileCache.Capacity, _cache.Count);
        Assert.True(handles[0].IsClosed);
        Assert.All(handles.Skip(1), handle => Assert.False(handle.IsClosed));
    }

    [Fact]
    public void A_changed_file_is_not_rented_and_its_handle_is_closed()
    {
        var (entry, handle, stat) = Open("a.txt", "aaa");
        _cache.Add("a.txt", entry, handle, stat, stat.EntityTag());

        File.AppendAllText(entry, "more");

        Assert.False(_cache.TryRent("a.txt", out _));
        Assert.True(handle.IsClosed);
    }

    [Fact]
    public void A_rented_handle_stays_readable_when_the_cache_closes_it_and_closes_when_returned()
    {
        var (entry, handle, stat) = Open("a.txt", "abc");
        _cache.Add("a.txt", entry, handle, stat, stat.EntityTag());
        Assert.True(_cache.TryRent("a.txt", out var lease));

        _cache.Dispose();
        var buffer = new byte[3];
        var read = RandomAccess.Read(lease.File.Handle, buffer, 0);
        lease.Dispose();

        Assert.Equal("abc", System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        Assert.True(handle.IsClosed);
    }

    private (string Entry, SafeFileHandle Handle, FileStat Stat) Open(string name, string content)
    {
        var entry = Path.Join(_directory, name);
        File.WriteAllText(entry, content);
        var handle = File.OpenHandle(entry);
        Assert.True(Native.TryStat(handle, out var stat));
        return (entry, handle, stat);
    }
}
