using Coap.Engine.Protocol;

namespace Services.FileServer.Tests;

public sealed class PutTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _files.DisposeAsync();

    [Fact]
    public void A_put_creates_with_2_01_then_replaces_with_2_04_each_with_the_new_etag()
    {
        var created = _files.Put("one"u8.ToArray(), "f.txt");
        var replaced = _files.Put("two!"u8.ToArray(), "f.txt");

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal(CoapCode.Changed, replaced.Code);
        Assert.Equal("two!", File.ReadAllText(_files.InRoot("f.txt")));
        Assert.Equal(FileServerFixture.ETagOf(_files.Get("f.txt")), FileServerFixture.ETagOf(replaced));
        Assert.NotEqual(FileServerFixture.ETagOf(created), FileServerFixture.ETagOf(replaced));
        Assert.Empty(_files.TempFiles());
    }

    [Fact]
    public async Task A_read_only_service_refuses_put_and_delete_with_4_03()
    {
        File.WriteAllText(_files.InRoot("f.txt"), "keep");
        _files.Settings["Modules:FileServer:Writable"] = "false";
        await _files.RestartAsync();

        Assert.Equal(CoapCode.Forbidden, _files.Put("x"u8.ToArray(), "f.txt").Code);
        Assert.Equal(CoapCode.Forbidden, _files.PutBlock(FileServerFixture.RandomBytes(100), 0, 0, null, "g.txt").Code);
        Assert.Equal(CoapCode.Forbidden, _files.Delete("f.txt").Code);
        Assert.Equal("keep", File.ReadAllText(_files.InRoot("f.txt")));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(1023, 6)]
    [InlineData(1024, 6)]
    [InlineData(1025, 6)]
    [InlineData(100_000, 6)]
    [InlineData(1025, 0)]
    public void A_block_wise_put_streams_into_the_file_byte_identical(int length, int sizeExponent)
    {
        var body = FileServerFixture.RandomBytes(length);

        var reply = _files.PutBlockwise(body, sizeExponent, null, "up.bin");

        Assert.Equal(CoapCode.Created, reply.Code);
        Assert.Equal(body, File.ReadAllBytes(_files.InRoot("up.bin")));
        Assert.Equal(FileServerFixture.ETagOf(_files.Get("up.bin")), FileServerFixture.ETagOf(reply));
        Assert.Empty(_files.TempFiles());
    }

    [Fact]
    public void If_match_with_the_current_etag_replaces_and_a_stale_one_is_4_12()
    {
        var tag = FileServerFixture.ETagOf(_files.Put("v1"u8.ToArray(), "f.txt"));
        var request = _files.Request(CoapCode.Put, "f.txt");
        request.Options.Add(OptionNumber.IfMatch, tag);
        request.Payload = "v2"u8.ToArray();
        var first = _files.Exchange(request);
        var stale = _files.Request(CoapCode.Put, "f.txt");
        stale.Options.Add(OptionNumber.IfMatch, tag);
        stale.Payload = "v3"u8.ToArray();

        Assert.Equal(CoapCode.Changed, first.Code);
        Assert.Equal(CoapCode.PreconditionFailed, _files.Exchange(stale).Code);
        Assert.Equal("v2", File.ReadAllText(_files.InRoot("f.txt")));
    }

    [Fact]
    public void If_match_on_a_missing_file_and_if_none_match_on_an_existing_one_are_4_12()
    {
        var ifMatch = _files.Request(CoapCode.Put, "new.txt");
        ifMatch.Options.Add(OptionNumber.IfMatch, ReadOnlyMemory<byte>.Empty);
        _files.Put("x"u8.ToArray(), "old.txt");
        var ifNoneMatch = _files.Request(CoapCode.Put, "old.txt");
        ifNoneMatch.Options.Add(CoapOption.Empty(OptionNumber.IfNoneMatch));
        var create = _files.Request(CoapCode.Put, "fresh.txt");
        create.Options.Add(CoapOption.Empty(OptionNumber.IfNoneMatch));

        Assert.Equal(CoapCode.PreconditionFailed, _files.Exchange(ifMatch).Code);
        Assert.Equal(CoapCode.PreconditionFailed, _files.Exchange(ifNoneMatch).Code);
        Assert.Equal(CoapCode.Created, _files.Exchange(create).Code);
        Assert.False(File.Exists(_files.InRoot("new.txt")));
    }

    [Fact]
    public void Two_block_wise_puts_with_if_match_on_the_same_etag_one_wins_the_other_is_4_12()
    {
        var tag = FileServerFixture.ETagOf(_files.Put("base"u8.ToArray(), "f.bin"));
        var alice = FileServerFixture.RandomBytes(300);
        var bob = FileServerFixture.RandomBytes(301);
        void IfMatch(CoapMessage request) => request.Options.Add(OptionNumber.IfMatch, tag);
        void BobIfMatch(CoapMessage request)
        {
            IfMatch(request);
            request.Options.Add(OptionNumber.UriQuery, "bob"u8.ToArray());
        }

        Assert.Equal(CoapCode.Continue, _files.PutBlock(alice, 0, 2, IfMatch, "f.bin").Code);
        Assert.Equal(CoapCode.Continue, _files.PutBlock(bob, 0, 2, BobIfMatch, "f.bin").Code);
        var results = new List<CoapCode>();
        for (var number = 1; number < 5; number++)
        {
            results.Add(_files.PutBlock(alice, number, 2, IfMatch, "f.bin").Code);
            results.Add(_files.PutBlock(bob, number, 2, BobIfMatch, "f.bin").Code);
        }

        Assert.Equal(CoapCode.Changed, results[^2]);
        Assert.Equal(CoapCode.PreconditionFailed, results[^1]);
        Assert.Equal(alice, File.ReadAllBytes(_files.InRoot("f.bin")));
        Assert.Empty(_files.TempFiles());
    }

    [Fact]
    public async Task A_missing_parent_is_4_04_unless_create_parents()
    {
        Assert.Equal(CoapCode.NotFound, _files.Put("x"u8.ToArray(), "no", "such", "f.txt").Code);
        _files.Settings["Modules:FileServer:CreateParents"] = "true";
        await _files.RestartAsync();

        Assert.Equal(CoapCode.Created, _files.Put("x"u8.ToArray(), "no", "such", "f.txt").Code);
        Assert.Equal("x", File.ReadAllText(_files.InRoot("no", "such", "f.txt")));
    }

    [Fact]
    public void A_put_without_a_slash_to_a_directory_is_4_00()
    {
        Directory.CreateDirectory(_files.InRoot("dir"));

        var reply = _files.Put("x"u8.ToArray(), "dir");

        Assert.Equal(CoapCode.BadRequest, reply.Code);
        Assert.Equal("is a directory; add a trailing slash", FileServerFixture.Text(reply));
        Assert.True(Directory.Exists(_files.InRoot("dir")));
    }

    [Fact]
    public void A_put_with_a_slash_creates_a_directory_2_01_then_2_04()
    {
        var created = _files.Put([], "newdir", "");
        var again = _files.Put([], "newdir", "");

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal(CoapCode.Changed, again.Code);
        Assert.True(Directory.Exists(_files.InRoot("newdir")));
        Assert.Equal(DirectoryListing.EmptyTag, FileServerFixture.ETagOf(created));
        Assert.Equal(CoapCode.BadRequest, _files.Put([], "newdir", "", "").Code);
    }

    [Fact]
    public void A_put_with_a_slash_on_a_file_is_4_00()
    {
        _files.Put("x"u8.ToArray(), "f.txt");

        Assert.Equal(CoapCode.BadRequest, _files.Put([], "f.txt", "").Code);
    }

    [Fact]
    public async Task Max_file_size_refuses_block_0_by_its_size1_and_a_growing_body_with_4_13_and_size1()
    {
        _files.Settings["Modules:FileServer:MaxFileSize"] = "100";
        await _files.RestartAsync();

        var announced = _files.PutBlock(FileServerFixture.RandomBytes(200), 0, 2, null, "big.bin");
        var single = _files.Put(FileServerFixture.RandomBytes(101), "single.bin");
        var body = FileServerFixture.RandomBytes(200);
        var unannounced = _files.PutBlock(body, 0, 2, r => r.Options.Add(OptionNumber.UriQuery, "x"u8.ToArray()), "grow.bin");
        CoapMessage grown = unannounced;
        for (var number = 1; number < 4 && grown.Code == CoapCode.Continue; number++)
        {
            var request = _files.Request(CoapCode.Put, "grow.bin");
            request.Options.Add(OptionNumber.UriQuery, "x"u8.ToArray());
            request.Payload = body.AsMemory(number * 64, 64);
            request.Options.Add(new BlockValue(number, true, 2).ToOption(OptionNumber.Block1));
            grown = _files.Exchange(request);
        }

        Assert.Equal(CoapCode.RequestEntityTooLarge, announced.Code);
        Assert.Equal(100u, announced.Options.GetUInt(OptionNumber.Size1));
        Assert.Equal(CoapCode.RequestEntityTooLarge, single.Code);
        Assert.Equal(CoapCode.RequestEntityTooLarge, grown.Code);
        Assert.Equal(100u, grown.Options.GetUInt(OptionNumber.Size1));
        Assert.Empty(Directory.GetFiles(_files.RootPath, "*", new EnumerationOptions { AttributesToSkip = 0 }));
        Assert.Equal(CoapCode.Created, _files.Put(FileServerFixture.RandomBytes(100), "fits.bin").Code);
    }

    [Fact]
    public async Task The_total_quota_refuses_what_would_take_the_tree_over_it()
    {
        _files.Settings["Modules:FileServer:MaxTotalBytes"] = "1000";
        await _files.RestartAsync();
        Assert.Equal(CoapCode.Created, _files.Put(FileServerFixture.RandomBytes(800), "a.bin").Code);

        var over = _files.Put(FileServerFixture.RandomBytes(300), "b.bin");

        Assert.Equal(CoapCode.RequestEntityTooLarge, over.Code);
        Assert.Equal(200u, over.Options.GetUInt(OptionNumber.Size1));
        Assert.Equal(CoapCode.Changed, _files.Put(FileServerFixture.RandomBytes(1000), "a.bin").Code);
    }

    [Fact]
    public async Task Concurrent_uploads_that_each_fit_the_quota_may_not_together_exceed_it()
    {
        _files.Settings["Modules:FileServer:MaxTotalBytes"] = "100";
        await _files.RestartAsync();
        var body = FileServerFixture.RandomBytes(40);
        string[] names = ["a.bin", "b.bin", "c.bin"];

        foreach (var name in names)
        {
            Assert.Equal(CoapCode.Continue, _files.PutBlock(body, 0, 0, null, name).Code);
        }

        foreach (var name in names)
        {
            Assert.Equal(CoapCode.Continue, _files.PutBlock(body, 1, 0, null, name).Code);
        }

        var last = names.Select(name => _files.PutBlock(body, 2, 0, null, name)).ToList();

        Assert.Equal([CoapCode.Created, CoapCode.Created, CoapCode.RequestEntityTooLarge], last.Select(reply => reply.Code));
        Assert.Equal(20u, last[2].Options.GetUInt(OptionNumber.Size1));
        Assert.False(File.Exists(_files.InRoot("c.bin")));
        Assert.Empty(_files.TempFiles());
    }

    [Fact]
    public void A_name_of_255_bytes_is_written_block_wise_and_read_back()
    {
        var name = string.Concat(Enumerable.Repeat("ü", 127)) + "x";
        var body = FileServerFixture.RandomBytes(500);

        Assert.Equal(CoapCode.Created, _files.PutBlockwise(body, 2, null, name).Code);
        Assert.Equal(body, File.ReadAllBytes(_files.InRoot(name)));
        Assert.Equal(CoapCode.Content, _files.Get(name).Code);
    }
}
