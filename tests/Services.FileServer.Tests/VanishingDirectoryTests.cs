using Coap.Engine.Protocol;

namespace Services.FileServer.Tests;

/// <summary>
/// Uploads whose directory is deleted or replaced while they are unfinished (found by fuzzing: the expiry of such an
/// upload aborted the host, and its next blocks got 5.00). They end with a clear 4.xx and leave no temp file.
/// </summary>
public sealed class VanishingDirectoryTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new();
    private readonly byte[] _body = new byte[48];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _files.DisposeAsync();

    [Fact]
    public void The_expiry_of_an_upload_whose_directory_was_deleted_leaves_the_server_answering()
    {
        StartUploadInDeletedDirectory(_body);

        _files.Server.Time.Advance(new Coap.Engine.Messaging.CoapEndpointOptions().Transmission.ExchangeLifetime + TimeSpan.FromSeconds(1));

        Assert.Empty(_files.Server.Logs.Exceptions);
        Assert.Equal(CoapCode.Content, _files.Get("").Code);
        Assert.Empty(_files.TempFiles());
    }

    [Fact]
    public void Block_0_again_after_the_directory_was_deleted_is_4_04_not_5_00()
    {
        StartUploadInDeletedDirectory(_body);

        var again = _files.PutBlock(_body, 0, 0, null, "crashdir", "x");

        Assert.Equal(CoapCode.NotFound, again.Code);
        Assert.Empty(_files.Server.Logs.Exceptions);
    }

    [Fact]
    public void A_block_within_the_link_check_interval_is_written_without_asking_and_the_next_block_after_it_is_4_09()
    {
        var body = new byte[64];
        StartUploadInDeletedDirectory(body);

        var within = _files.PutBlock(body, 1, 0, null, "crashdir", "x");
        _files.Server.Time.Advance(FileUploadSink.LinkCheckInterval);
        var after = _files.PutBlock(body, 2, 0, null, "crashdir", "x");

        Assert.Equal(CoapCode.Continue, within.Code);
        Assert.Equal(CoapCode.Conflict, after.Code);
    }

    [Fact]
    public void The_next_block_after_the_directory_was_deleted_is_4_09()
    {
        StartUploadInDeletedDirectory(_body);
        _files.Server.Time.Advance(FileUploadSink.LinkCheckInterval);

        var next = _files.PutBlock(_body, 1, 0, null, "crashdir", "x");

        Assert.Equal(CoapCode.Conflict, next.Code);
        Assert.Contains("start again", System.Text.Encoding.UTF8.GetString(next.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_block_after_the_directory_was_replaced_is_4_09_and_writes_nothing()
    {
        var body = new byte[32];
        StartUploadInDeletedDirectory(body);
        Assert.Equal(CoapCode.Created, _files.Put([], "crashdir", "").Code);

        var last = _files.PutBlock(body, 1, 0, null, "crashdir", "x");

        Assert.Equal(CoapCode.Conflict, last.Code);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_files.InRoot("crashdir")));
        Assert.Equal(CoapCode.Content, _files.Get("").Code);
    }

    [Fact]
    public async Task The_last_block_after_the_directory_was_renamed_away_is_4_09_under_a_quota_too()
    {
        // The temp file keeps its link in the renamed directory: it is found gone only at its path, at the commit.
        _files.Settings["Modules:FileServer:MaxTotalBytes"] = "100000";
        await _files.RestartAsync();
        var body = new byte[32];
        Assert.Equal(CoapCode.Created, _files.Put([], "movedir", "").Code);
        Assert.Equal(CoapCode.Continue, _files.PutBlock(body, 0, 0, null, "movedir", "x").Code);
        Directory.Move(_files.InRoot("movedir"), _files.InRoot("elsewhere"));

        var last = _files.PutBlock(body, 1, 0, null, "movedir", "x");

        Assert.Equal(CoapCode.Conflict, last.Code);
        Assert.Empty(_files.Server.Logs.Exceptions);
    }

    /// <summary>PUT /files/crashdir/ → 2.01; block 0 of crashdir/x (M set) → 2.31; DELETE /files/crashdir/ → 2.02.</summary>
    private void StartUploadInDeletedDirectory(byte[] body)
    {
        Assert.Equal(CoapCode.Created, _files.Put([], "crashdir", "").Code);
        Assert.Equal(CoapCode.Continue, _files.PutBlock(body, 0, 0, null, "crashdir", "x").Code);
        Assert.Equal(CoapCode.Deleted, _files.Delete("crashdir", "").Code);
    }
}
