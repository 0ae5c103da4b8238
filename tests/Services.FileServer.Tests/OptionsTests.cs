using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;
using Coap.Testing;
using Microsoft.Extensions.Options;

namespace Services.FileServer.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData("Modules:FileServer:MaxFileSize", "0", "Modules:FileServer:MaxFileSize")]
    [InlineData("Modules:FileServer:MaxTotalBytes", "-1", "Modules:FileServer:MaxTotalBytes")]
    [InlineData("Modules:FileServer:Path", "files/{x}", "Modules:FileServer:Path")]
    [InlineData("Modules:FileServer:Root", " ", "Modules:FileServer:Root")]
    public void A_bad_setting_stops_the_start_naming_its_key(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => new ModuleServer(new FileServerModule(), new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_that_is_a_file_is_refused()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<OptionsValidationException>(() => new ModuleServer(new FileServerModule(), new Dictionary<string, string?> { ["Modules:FileServer:Root"] = file }));
            Assert.Contains("Modules:FileServer:Root", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Defaults_are_read_only_at_files_with_no_limits()
    {
        var options = new FileServerOptions();

        Assert.Equal("files", options.Path);
        Assert.Equal("files-root", options.Root);
        Assert.False(options.Writable);
        Assert.False(options.CreateParents);
        Assert.Null(options.MaxFileSize);
        Assert.Null(options.MaxTotalBytes);
    }

    [Fact]
    public async Task A_missing_root_is_created_at_start()
    {
        await using var files = new FileServerFixture();

        Assert.True(Directory.Exists(files.RootPath));
    }

    [Fact]
    public async Task Well_known_core_lists_the_mount_with_rt_core_fs_and_ct_40()
    {
        await using var files = new FileServerFixture();
        var request = CoapMessage.CreateRequest(CoapCode.Get, ".well-known/core");
        request.MessageId = 999;

        Assert.True(LinkFormatParser.TryParse(FileServerFixture.Text(files.Exchange(request)), out var links, out _));

        var mount = Assert.Single(links, l => l.Target == "/files/");
        Assert.Equal("core.fs", mount.GetAttribute("rt"));
        Assert.Equal("40 0 41 47 50 60 110 42", string.Join(' ', mount.GetAttributeValues("ct")));
    }

    [Fact]
    public void The_empty_directory_etag_is_the_fnv_offset_basis_as_documented()
    {
        Assert.Equal("CBF29CE484222325", Convert.ToHexString(DirectoryListing.EmptyTag));
    }

    [Theory]
    [InlineData("files", "files/{**path}")]
    [InlineData("/data/files/", "data/files/{**path}")]
    [InlineData("/", "{**path}")]
    public void The_mount_path_becomes_a_catch_all_route(string path, string template)
    {
        Assert.Equal(template, FileServerModule.Template(path));
    }

    [Fact]
    public async Task Mounted_at_the_root_it_serves_every_path_but_well_known_core()
    {
        await using var files = new FileServerFixture(settings: new Dictionary<string, string?> { ["Modules:FileServer:Path"] = "/" });
        File.WriteAllText(files.InRoot("a.txt"), "at the root");
        var file = CoapMessage.CreateRequest(CoapCode.Get, "a.txt");
        file.MessageId = 1001;
        var core = CoapMessage.CreateRequest(CoapCode.Get, ".well-known/core");
        core.MessageId = 1002;

        Assert.Equal("at the root", FileServerFixture.Text(files.Exchange(file)));
        var links = files.Exchange(core);
        Assert.Equal(CoapCode.Content, links.Code);
        Assert.Contains("</>;rt=\"core.fs\"", FileServerFixture.Text(links), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mounted_at_the_root_a_request_without_uri_path_lists_the_root_and_top_level_files_work()
    {
        await using var files = new FileServerFixture(settings: new Dictionary<string, string?> { ["Modules:FileServer:Path"] = "/" });
        File.WriteAllText(files.InRoot("a.txt"), "at the root");
        var root = CoapMessage.CreateRequest(CoapCode.Get, string.Empty);
        root.MessageId = 1001;
        var put = CoapMessage.CreateRequest(CoapCode.Put, "b.txt");
        put.MessageId = 1002;
        put.Payload = "new"u8.ToArray();
        var delete = CoapMessage.CreateRequest(CoapCode.Delete, "a.txt");
        delete.MessageId = 1003;

        var listing = files.Exchange(root);
        var created = files.Exchange(put);
        var deleted = files.Exchange(delete);

        Assert.Equal(CoapCode.Content, listing.Code);
        Assert.Contains("<a.txt>", FileServerFixture.Text(listing), StringComparison.Ordinal);
        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal("new", File.ReadAllText(files.InRoot("b.txt")));
        Assert.Equal(CoapCode.Deleted, deleted.Code);
        Assert.False(File.Exists(files.InRoot("a.txt")));
    }
}
