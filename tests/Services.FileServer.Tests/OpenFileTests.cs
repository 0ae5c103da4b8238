using Coap.Engine.Protocol;

namespace Services.FileServer.Tests;

/// <summary>Files are kept open between requests: whatever changes on disk meanwhile, a GET serves what is there now.</summary>
public sealed class OpenFileTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _files.DisposeAsync();

    [Fact]
    public void A_file_replaced_by_a_rename_with_the_same_size_is_served_from_the_new_file()
    {
        var path = _files.InRoot("f.txt");
        File.WriteAllText(path, "one");
        Assert.Equal("one", FileServerFixture.Text(_files.Get("f.txt")));

        File.WriteAllText(path + ".new", "two");
        File.Move(path + ".new", path, overwrite: true);

        Assert.Equal("two", FileServerFixture.Text(_files.Get("f.txt")));
    }

    [Fact]
    public void A_file_rewritten_in_place_is_served_with_its_new_bytes_and_tag()
    {
        var path = _files.InRoot("f.txt");
        File.WriteAllText(path, "one");
        var first = _files.Get("f.txt");

        File.WriteAllText(path, "three");
        var second = _files.Get("f.txt");

        Assert.Equal("three", FileServerFixture.Text(second));
        Assert.NotEqual(FileServerFixture.ETagOf(first), FileServerFixture.ETagOf(second));
    }

    [Fact]
    public void A_file_deleted_after_a_read_is_4_04()
    {
        File.WriteAllText(_files.InRoot("f.txt"), "one");
        Assert.Equal(CoapCode.Content, _files.Get("f.txt").Code);

        File.Delete(_files.InRoot("f.txt"));

        Assert.Equal(CoapCode.NotFound, _files.Get("f.txt").Code);
    }

    [Fact]
    public void A_link_pointed_elsewhere_after_a_read_serves_its_new_target()
    {
        File.WriteAllText(_files.InRoot("a.txt"), "aaa");
        File.WriteAllText(_files.InRoot("b.txt"), "bbb");
        File.CreateSymbolicLink(_files.InRoot("link.txt"), "a.txt");
        Assert.Equal("aaa", FileServerFixture.Text(_files.Get("link.txt")));

        File.CreateSymbolicLink(_files.InRoot("link.new"), "b.txt");
        File.Move(_files.InRoot("link.new"), _files.InRoot("link.txt"), overwrite: true);

        Assert.Equal("bbb", FileServerFixture.Text(_files.Get("link.txt")));
    }

    [Fact]
    public void A_directory_link_pointed_elsewhere_after_a_read_serves_the_file_of_its_new_target()
    {
        Directory.CreateDirectory(_files.InRoot("a"));
        Directory.CreateDirectory(_files.InRoot("b"));
        File.WriteAllText(_files.InRoot("a/f.txt"), "aaa");
        File.WriteAllText(_files.InRoot("b/f.txt"), "bbb");
        Directory.CreateSymbolicLink(_files.InRoot("d"), "a");
        Assert.Equal("aaa", FileServerFixture.Text(_files.Get("d", "f.txt")));

        Directory.Delete(_files.InRoot("d"));
        Directory.CreateSymbolicLink(_files.InRoot("d"), "b");

        Assert.Equal("bbb", FileServerFixture.Text(_files.Get("d", "f.txt")));
    }

    [Fact]
    public void A_directory_put_in_place_of_a_read_file_is_4_00_without_its_slash()
    {
        File.WriteAllText(_files.InRoot("x"), "file");
        Assert.Equal(CoapCode.Content, _files.Get("x").Code);

        File.Delete(_files.InRoot("x"));
        Directory.CreateDirectory(_files.InRoot("x"));

        Assert.Equal(CoapCode.BadRequest, _files.Get("x").Code);
    }
}
