using Coap.Engine.Protocol;

namespace Services.FileServer.Tests;

public sealed class AtomicityTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _files.DisposeAsync();

    [Fact]
    public void An_upload_abandoned_half_way_leaves_the_old_content_and_its_temp_file_goes_after_exchange_lifetime()
    {
        File.WriteAllText(_files.InRoot("f.txt"), "old content");
        var body = FileServerFixture.RandomBytes(1000);
        for (var number = 0; number < 5; number++)
        {
            Assert.Equal(CoapCode.Continue, _files.PutBlock(body, number, 2, null, "f.txt").Code);
        }

        Assert.Single(_files.TempFiles());
        Assert.Equal("old content", File.ReadAllText(_files.InRoot("f.txt")));
        Assert.Equal("<f.txt>;ct=0;sz=11", FileServerFixture.Text(_files.Get("")));

        _files.Server.Time.Advance(TimeSpan.FromSeconds(248));

        Assert.Empty(_files.TempFiles());
        Assert.Equal("old content", File.ReadAllText(_files.InRoot("f.txt")));
    }

    [Fact]
    public async Task A_restart_cleans_the_temp_files_a_crashed_upload_left_and_keeps_the_old_content()
    {
        File.WriteAllText(_files.InRoot("f.txt"), "old content");
        Directory.CreateDirectory(_files.InRoot("sub"));
        var body = FileServerFixture.RandomBytes(1000);
        _files.PutBlock(body, 0, 2, null, "f.txt");
        _files.PutBlock(body, 0, 2, null, "sub", "g.bin");
        File.WriteAllText(_files.InRoot(".my-own-hidden-file"), "kept");
        Assert.Equal(2, _files.TempFiles().Length - 1);

        await _files.RestartAsync();

        Assert.Equal(2, _files.Resource.StaleTempFilesRemoved);
        Assert.Equal([_files.InRoot(".my-own-hidden-file")], _files.TempFiles());
        Assert.Equal("old content", File.ReadAllText(_files.InRoot("f.txt")));
    }

    [Fact]
    public void A_restart_of_the_upload_from_block_0_replaces_the_temp_file()
    {
        var body = FileServerFixture.RandomBytes(300);
        _files.PutBlock(body, 0, 2, null, "f.bin");
        _files.PutBlock(body, 1, 2, null, "f.bin");

        var reply = _files.PutBlockwise(body, 2, null, "f.bin");

        Assert.Equal(CoapCode.Created, reply.Code);
        Assert.Equal(body, File.ReadAllBytes(_files.InRoot("f.bin")));
        Assert.Empty(_files.TempFiles());
    }
}
