using Coap.Engine.Client;
using Services.FileServer.Client;
using Coap.Engine.Protocol;

namespace Interop.Tests.Files;

/// <summary>CoapFileClient.GetListingAsync against the real file service: the CBOR details and the listing's ETag.</summary>
public sealed class ListingWithDetailsTests : IClassFixture<FileHostFixture>, IAsyncLifetime
{
    private readonly FileHostFixture _host;
    private readonly CoapClient _client = new(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });

    public ListingWithDetailsTests(FileHostFixture host)
    {
        _host = host;
    }

    private CoapFileClient Files => new(_client);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task The_detailed_listing_has_each_entrys_mtime_and_the_etag_a_stat_gives()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_host.Root, "detailed")).FullName;
        Directory.CreateDirectory(Path.Combine(directory, "inner"));
        await File.WriteAllTextAsync(Path.Combine(directory, "f.txt"), "12345");
        var modified = new DateTime(2023, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(directory, "f.txt"), modified);
        var uri = CoapUri.Parse(_host.BaseUri + "detailed/");

        var listing = await Files.GetListingAsync(uri, details: true);
        var stat = await Files.StatAsync(CoapUri.Parse(_host.BaseUri + "detailed/f.txt"));

        var file = Assert.Single(listing.Entries, entry => entry.Name == "f.txt");
        var inner = Assert.Single(listing.Entries, entry => entry.Name == "inner");
        Assert.Equal((false, 5L, new DateTimeOffset(modified)), (file.IsDirectory, file.Size!.Value, file.Modified!.Value));
        Assert.Equal(stat.ETag, file.ETag);
        Assert.True(inner.IsDirectory);
        Assert.Equal(TimeSpan.FromSeconds(60), listing.MaxAge);
        Assert.NotNull(listing.ETag);
    }

    [Fact]
    public async Task The_etag_of_an_empty_listing_deletes_a_directory_only_while_it_is_empty()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_host.Root, "only-if-empty")).FullName;
        var uri = CoapUri.Parse(_host.BaseUri + "only-if-empty/");
        var empty = await Files.GetListingAsync(uri);
        await File.WriteAllTextAsync(Path.Combine(directory, "late.txt"), "arrived");

        var refused = await Assert.ThrowsAsync<CoapFileException>(() => Files.DeleteAsync(uri, empty.ETag));
        File.Delete(Path.Combine(directory, "late.txt"));
        await Files.DeleteAsync(uri, (await Files.GetListingAsync(uri)).ETag);

        Assert.Empty(empty.Entries);
        Assert.Equal(CoapCode.PreconditionFailed, refused.Code);
        Assert.False(Directory.Exists(directory));
    }
}
