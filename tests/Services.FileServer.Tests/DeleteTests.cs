using Coap.Engine.Protocol;

namespace Services.FileServer.Tests;

public sealed class DeleteTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _files.DisposeAsync();

    [Fact]
    public void A_file_is_deleted_with_2_02_and_then_missing_is_4_04()
    {
        File.WriteAllText(_files.InRoot("f.txt"), "x");

        Assert.Equal(CoapCode.Deleted, _files.Delete("f.txt").Code);
        Assert.False(File.Exists(_files.InRoot("f.txt")));
        Assert.Equal(CoapCode.NotFound, _files.Delete("f.txt").Code);
    }

    [Fact]
    public void A_directory_is_deleted_recursively()
    {
        Directory.CreateDirectory(_files.InRoot("d", "e", "f"));
        File.WriteAllText(_files.InRoot("d", "e", "f", "x.txt"), "x");

        Assert.Equal(CoapCode.Deleted, _files.Delete("d", "").Code);
        Assert.False(Directory.Exists(_files.InRoot("d")));
    }

    [Theory]
    [InlineData("git")]
    [InlineData("env")]
    [InlineData("fifo")]
    [InlineData("link")]
    public void A_directory_holding_what_the_service_does_not_show_is_not_deleted(string unshown)
    {
        var sentinel = _files.SentinelHash();
        Directory.CreateDirectory(_files.InRoot("d", "e"));
        File.WriteAllText(_files.InRoot("d", "e", "x.txt"), "x");
        switch (unshown)
        {
            case "git":
                Directory.CreateDirectory(_files.InRoot("d", "e", ".git"));
                break;
            case "env":
                File.WriteAllText(_files.InRoot("d", ".env"), "SECRET=1");
                break;
            case "fifo":
                Assert.Equal(0, FileServerFixture.Mkfifo(_files.InRoot("d", "e", "pipe"), 0x1A4));
                break;
            default:
                File.CreateSymbolicLink(_files.InRoot("d", "out"), _files.Outside);
                break;
        }

        var reply = _files.Delete("d", "");

        Assert.Equal(CoapCode.Conflict, reply.Code);
        Assert.Contains("nothing was deleted", FileServerFixture.Text(reply), StringComparison.Ordinal);
        Assert.True(File.Exists(_files.InRoot("d", "e", "x.txt")));
        Assert.Equal(sentinel, _files.SentinelHash());
    }

    [Fact]
    public void A_directory_showing_nothing_but_holding_a_hidden_entry_does_not_have_the_empty_etag()
    {
        Directory.CreateDirectory(_files.InRoot("d"));
        var empty = FileServerFixture.ETagOf(_files.Get("d", ""));
        File.WriteAllText(_files.InRoot("d", ".env"), "SECRET=1");

        Assert.NotEqual(empty, FileServerFixture.ETagOf(_files.Get("d", "")));
    }

    [Fact]
    public void The_slash_must_fit_and_the_root_stays()
    {
        Directory.CreateDirectory(_files.InRoot("d"));
        File.WriteAllText(_files.InRoot("f.txt"), "x");

        Assert.Equal(CoapCode.BadRequest, _files.Delete("d").Code);
        Assert.Equal(CoapCode.BadRequest, _files.Delete("f.txt", "").Code);
        Assert.Equal(CoapCode.Forbidden, _files.Delete("").Code);
        Assert.True(Directory.Exists(_files.InRoot("d")));
        Assert.True(File.Exists(_files.InRoot("f.txt")));
    }

    [Fact]
    public void If_match_is_honoured_on_files()
    {
        var tag = FileServerFixture.ETagOf(_files.Put("v1"u8.ToArray(), "f.txt"));
        _files.Put("v2"u8.ToArray(), "f.txt");
        var stale = _files.Request(CoapCode.Delete, "f.txt");
        stale.Options.Add(OptionNumber.IfMatch, tag);

        Assert.Equal(CoapCode.PreconditionFailed, _files.Exchange(stale).Code);
        Assert.True(File.Exists(_files.InRoot("f.txt")));
    }

    [Fact]
    public void The_empty_directory_etag_deletes_a_directory_only_while_it_is_empty()
    {
        Directory.CreateDirectory(_files.InRoot("d"));
        File.WriteAllText(_files.InRoot("d", "x.txt"), "x");
        CoapMessage OnlyIfEmpty()
        {
            var request = _files.Request(CoapCode.Delete, "d", "");
            request.Options.Add(OptionNumber.IfMatch, DirectoryListing.EmptyTag);
            return _files.Exchange(request);
        }

        Assert.Equal(CoapCode.PreconditionFailed, OnlyIfEmpty().Code);
        File.Delete(_files.InRoot("d", "x.txt"));
        Assert.Equal(CoapCode.Deleted, OnlyIfEmpty().Code);
        Assert.False(Directory.Exists(_files.InRoot("d")));
    }
}
