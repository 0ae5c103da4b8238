using System.Text;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;

namespace Services.FileServer.Tests;

public sealed class GetTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new(writable: false);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _files.DisposeAsync();

    [Fact]
    public void A_small_file_comes_whole_with_its_content_format_and_an_8_byte_etag()
    {
        File.WriteAllText(_files.InRoot("hello.txt"), "hello");

        var reply = _files.Get("hello.txt");

        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.Equal("hello", FileServerFixture.Text(reply));
        Assert.Equal(ContentFormat.TextPlain, reply.ContentFormat);
        Assert.Equal(8, FileServerFixture.ETagOf(reply).Length);
        Assert.False(reply.Options.Contains(OptionNumber.Block2));
    }

    [Theory]
    [InlineData("a.json", ContentFormat.Json)]
    [InlineData("a.cbor", ContentFormat.Cbor)]
    [InlineData("a.XML", ContentFormat.Xml)]
    [InlineData("a.bin", ContentFormat.OctetStream)]
    [InlineData("noextension", ContentFormat.OctetStream)]
    public void The_content_format_follows_the_extension(string name, int format)
    {
        File.WriteAllBytes(_files.InRoot(name), [1, 2, 3]);

        Assert.Equal(format, _files.Get(name).ContentFormat);
    }

    [Fact]
    public void An_accept_other_than_the_files_format_is_4_06()
    {
        File.WriteAllText(_files.InRoot("hello.txt"), "hello");
        var request = _files.Request(CoapCode.Get, "hello.txt");
        request.Accept = ContentFormat.Json;

        Assert.Equal(CoapCode.NotAcceptable, _files.Exchange(request).Code);
    }

    [Fact]
    public void A_large_file_is_served_block_by_block_with_size2_and_the_same_etag_on_every_block()
    {
        var body = FileServerFixture.RandomBytes(5000);
        File.WriteAllBytes(_files.InRoot("big.bin"), body);

        var replies = _files.GetBlockwise(6, "big.bin");

        Assert.Equal(5, replies.Count);
        Assert.All(replies, r => Assert.Equal(CoapCode.Content, r.Code));
        Assert.Equal(body, replies.SelectMany(r => r.Payload.ToArray()).ToArray());
        Assert.Equal(5000u, replies[0].Options.GetUInt(OptionNumber.Size2));
        var tag = FileServerFixture.ETagOf(replies[0]);
        Assert.All(replies, r => Assert.Equal(tag, FileServerFixture.ETagOf(r)));
        Assert.Equal(new BlockValue(4, false, 6), FileServerFixture.BlockOf(replies[^1]));
    }

    [Fact]
    public void Without_block2_a_large_file_starts_with_block_0_of_1024()
    {
        File.WriteAllBytes(_files.InRoot("big.bin"), FileServerFixture.RandomBytes(3000));

        var reply = _files.Get("big.bin");

        Assert.Equal(new BlockValue(0, true, 6), FileServerFixture.BlockOf(reply));
        Assert.Equal(1024, reply.Payload.Length);
        Assert.Equal(3000u, reply.Options.GetUInt(OptionNumber.Size2));
    }

    [Fact]
    public void Small_blocks_of_16_bytes_work_too()
    {
        var body = FileServerFixture.RandomBytes(100);
        File.WriteAllBytes(_files.InRoot("b.bin"), body);

        var replies = _files.GetBlockwise(0, "b.bin");

        Assert.Equal(7, replies.Count);
        Assert.Equal(body, replies.SelectMany(r => r.Payload.ToArray()).ToArray());
    }

    [Fact]
    public void A_block_beyond_the_end_is_4_02()
    {
        File.WriteAllBytes(_files.InRoot("b.bin"), new byte[10]);
        var request = _files.Request(CoapCode.Get, "b.bin");
        request.Options.Add(new BlockValue(3, false, 0).ToOption(OptionNumber.Block2));

        Assert.Equal(CoapCode.BadOption, _files.Exchange(request).Code);
    }

    [Fact]
    public void An_empty_file_is_an_empty_payload()
    {
        File.WriteAllBytes(_files.InRoot("empty.bin"), []);

        var reply = _files.Get("empty.bin");

        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.True(reply.Payload.IsEmpty);
    }

    [Fact]
    public void The_etag_changes_when_the_file_is_replaced_or_rewritten()
    {
        var path = _files.InRoot("f.txt");
        File.WriteAllText(path, "one");
        var first = FileServerFixture.ETagOf(_files.Get("f.txt"));
        File.WriteAllText(path + ".new", "two");
        File.Move(path + ".new", path, overwrite: true);
        var second = FileServerFixture.ETagOf(_files.Get("f.txt"));
        File.AppendAllText(path, "!");

        Assert.NotEqual(first, second);
        Assert.NotEqual(second, FileServerFixture.ETagOf(_files.Get("f.txt")));
    }

    [Fact]
    public void A_matching_etag_among_several_is_2_03_with_that_etag_and_no_payload()
    {
        File.WriteAllText(_files.InRoot("f.txt"), "content");
        var tag = FileServerFixture.ETagOf(_files.Get("f.txt"));
        var request = _files.Request(CoapCode.Get, "f.txt");
        request.Options.Add(OptionNumber.ETag, new byte[] { 1, 2, 3 });
        request.Options.Add(OptionNumber.ETag, tag);

        var reply = _files.Exchange(request);

        Assert.Equal(CoapCode.Valid, reply.Code);
        Assert.Equal(tag, FileServerFixture.ETagOf(reply));
        Assert.True(reply.Payload.IsEmpty);
    }

    [Fact]
    public void A_stale_or_empty_etag_gets_the_content()
    {
        File.WriteAllText(_files.InRoot("f.txt"), "content");
        var request = _files.Request(CoapCode.Get, "f.txt");
        request.Options.Add(OptionNumber.ETag, ReadOnlyMemory<byte>.Empty);
        request.Options.Add(OptionNumber.ETag, new byte[] { 9, 9, 9, 9 });

        var reply = _files.Exchange(request);

        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.Equal("content", FileServerFixture.Text(reply));
    }

    [Fact]
    public void A_directory_lists_files_with_ct_and_sz_and_subdirectories_with_a_slash_and_ct_40()
    {
        File.WriteAllText(_files.InRoot("a.txt"), "12345");
        Directory.CreateDirectory(_files.InRoot("sub"));
        File.WriteAllBytes(_files.InRoot("sub", "x.bin"), new byte[7]);

        var root = _files.Get("");
        var sub = _files.Get("sub", "");

        Assert.Equal(CoapCode.Content, root.Code);
        Assert.Equal(ContentFormat.LinkFormat, root.ContentFormat);
        Assert.Equal("<a.txt>;ct=0;sz=5,<sub/>;ct=40", FileServerFixture.Text(root));
        Assert.Equal("<x.bin>;ct=42;sz=7", FileServerFixture.Text(sub));
        Assert.Equal(8, FileServerFixture.ETagOf(root).Length);
    }

    [Fact]
    public void Names_are_percent_encoded_and_parse_back()
    {
        string[] names = ["a b.txt", "ünï©ødé", "semi;colon", "com,ma", "quo\"te", "<angle>", "colon:first", "100%"];
        foreach (var name in names)
        {
            File.WriteAllText(_files.InRoot(name), "x");
        }

        var text = FileServerFixture.Text(_files.Get(""));

        Assert.True(LinkFormatParser.TryParse(text, out var links, out var error), error);
        var decoded = links.Select(l => Uri.UnescapeDataString(l.Target)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal).ToArray(), decoded);
        Assert.All(links, l => Assert.DoesNotContain(':', l.Target));
        Assert.Contains("<a%20b.txt>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_directory_is_an_empty_payload_with_ct_40()
    {
        Directory.CreateDirectory(_files.InRoot("empty"));

        var reply = _files.Get("empty", "");

        Assert.Equal(CoapCode.Content, reply.Code);
        Assert.Equal(ContentFormat.LinkFormat, reply.ContentFormat);
        Assert.True(reply.Payload.IsEmpty);
        Assert.Equal(DirectoryListing.EmptyTag, FileServerFixture.ETagOf(reply));
    }

    [Fact]
    public void The_directory_etag_changes_when_an_entry_is_added_changed_or_removed_and_validates()
    {
        File.WriteAllText(_files.InRoot("a.txt"), "a");
        var first = FileServerFixture.ETagOf(_files.Get(""));
        File.WriteAllText(_files.InRoot("b.txt"), "b");
        var added = FileServerFixture.ETagOf(_files.Get(""));
        File.AppendAllText(_files.InRoot("b.txt"), "bb");
        var changed = FileServerFixture.ETagOf(_files.Get(""));
        File.Delete(_files.InRoot("b.txt"));
        File.Move(_files.InRoot("a.txt"), _files.InRoot("c.txt"));
        var renamed = FileServerFixture.ETagOf(_files.Get(""));

        Assert.Equal(4, new[] { first, added, changed, renamed }.Select(Convert.ToHexString).Distinct().Count());
        var request = _files.Request(CoapCode.Get, "");
        request.Options.Add(OptionNumber.ETag, renamed);
        Assert.Equal(CoapCode.Valid, _files.Exchange(request).Code);
    }

    [Fact]
    public void Hidden_and_special_entries_are_not_listed()
    {
        File.WriteAllText(_files.InRoot(".hidden"), "h");
        File.WriteAllText(_files.InRoot("shown.txt"), "s");
        Assert.Equal(0, FileServerFixture.Mkfifo(_files.InRoot("fifo"), 438));

        Assert.Equal("<shown.txt>;ct=0;sz=1", FileServerFixture.Text(_files.Get("")));
        Assert.Equal(CoapCode.Forbidden, _files.Get("fifo").Code);
    }

    [Fact]
    public void A_directory_without_its_slash_is_4_00_and_a_file_with_one_too()
    {
        Directory.CreateDirectory(_files.InRoot("dir"));
        File.WriteAllText(_files.InRoot("f.txt"), "f");

        var directory = _files.Get("dir");
        var file = _files.Get("f.txt", "");
        var root = _files.Get();

        Assert.Equal(CoapCode.BadRequest, directory.Code);
        Assert.Equal("is a directory; add a trailing slash", FileServerFixture.Text(directory));
        Assert.Equal(CoapCode.BadRequest, file.Code);
        Assert.Equal("not a directory", FileServerFixture.Text(file));
        Assert.Equal(CoapCode.BadRequest, root.Code);
    }

    [Fact]
    public void A_missing_file_is_4_04()
    {
        Assert.Equal(CoapCode.NotFound, _files.Get("nope.txt").Code);
        Assert.Equal(CoapCode.NotFound, _files.Get("nodir", "nope.txt").Code);
    }

    [Fact]
    public void A_listing_of_10000_entries_goes_block_wise_and_parses_whole()
    {
        var directory = _files.InRoot("many");
        Directory.CreateDirectory(directory);
        for (var i = 0; i < 10_000; i++)
        {
            File.WriteAllBytes(Path.Join(directory, $"entry-{i:D5}.txt"), []);
        }

        var replies = _files.GetBlockwise(6, "many", "");

        Assert.True(replies.Count > 100);
        Assert.All(replies, r => Assert.Equal(CoapCode.Content, r.Code));
        var tag = FileServerFixture.ETagOf(replies[0]);
        Assert.All(replies, r => Assert.Equal(tag, FileServerFixture.ETagOf(r)));
        var text = Encoding.UTF8.GetString(replies.SelectMany(r => r.Payload.ToArray()).ToArray());
        Assert.Equal((uint)Encoding.UTF8.GetByteCount(text), replies[0].Options.GetUInt(OptionNumber.Size2));
        Assert.True(LinkFormatParser.TryParse(text, out var links, out _));
        Assert.Equal(10_000, links.Count);
    }

    [Fact]
    public void Accept_60_lists_the_directory_as_a_cbor_array_of_maps_with_its_own_etag()
    {
        File.WriteAllText(_files.InRoot("a.txt"), "12345");
        Directory.CreateDirectory(_files.InRoot("sub"));
        var request = _files.Request(CoapCode.Get, "");
        request.Accept = ContentFormat.Cbor;

        var reply = _files.Exchange(request);

        Assert.Equal(ContentFormat.Cbor, reply.ContentFormat);
        var reader = new System.Formats.Cbor.CborReader(reply.Payload);
        Assert.Equal(2, reader.ReadStartArray());
        var file = ReadMap(reader);
        var directory = ReadMap(reader);
        Assert.Equal("a.txt", file["name"]);
        Assert.Equal("file", file["type"]);
        Assert.Equal(5L, file["size"]);
        Assert.Equal(Convert.ToHexString(FileServerFixture.ETagOf(_files.Get("a.txt"))), Convert.ToHexString((byte[])file["etag"]));
        Assert.True((long)file["mtime"] > 1_700_000_000);
        Assert.Equal("sub", directory["name"]);
        Assert.Equal("dir", directory["type"]);
        Assert.False(directory.ContainsKey("size"));
        Assert.NotEqual(FileServerFixture.ETagOf(_files.Get("")), FileServerFixture.ETagOf(reply));
    }

    private static Dictionary<string, object> ReadMap(System.Formats.Cbor.CborReader reader)
    {
        var map = new Dictionary<string, object>();
        var count = reader.ReadStartMap();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextString();
            map[key] = reader.PeekState() switch
            {
                System.Formats.Cbor.CborReaderState.TextString => reader.ReadTextString(),
                System.Formats.Cbor.CborReaderState.ByteString => reader.ReadByteString(),
                _ => reader.ReadInt64(),
            };
        }

        reader.ReadEndMap();
        return map;
    }
}
