using Coap.Engine.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Services.FileServer.FileSystem;

namespace Services.FileServer.Tests;

/// <summary>
/// A 2.01, 2.04 or 2.02 holds across a power loss: after the rename of an upload, a mkdir and a delete the parent
/// directory is flushed to the disk, after the change and before the answer is sent.
/// </summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private readonly RecordingDirectorySync _sync = new();
    private readonly FileServerFixture _files;

    public DurabilityTests()
    {
        _files = new FileServerFixture(
            settings: new Dictionary<string, string?> { ["Modules:FileServer:CreateParents"] = "true" },
            configureServices: services => services.AddSingleton<IDirectorySync>(_sync));
        _sync.Sent = () => _files.Server.Transport.PendingCount;
        Directory.CreateDirectory(_files.InRoot("d"));
    }

    private string D => Path.Join(_files.Resource.Root.Path, "d");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _files.DisposeAsync();

    [Fact]
    public void A_put_flushes_the_directory_after_the_rename_and_before_the_2_01_and_the_2_04()
    {
        var created = _files.Put("one"u8.ToArray(), "d", "f.txt");
        var afterCreate = _sync.Flushes.ToArray();
        var replaced = _files.Put("two"u8.ToArray(), "d", "f.txt");

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal(CoapCode.Changed, replaced.Code);
        Assert.Equal([(D, "f.txt", 0)], afterCreate);
        Assert.Equal([(D, "f.txt", 0), (D, "f.txt", 0)], _sync.Flushes);
    }

    [Fact]
    public void A_block_wise_upload_flushes_the_directory_at_its_commit()
    {
        var body = FileServerFixture.RandomBytes(3000);

        var first = _files.PutBlock(body, 0, 6, null, "d", "up.bin");
        var beforeCommit = _sync.Flushes.Count;
        var last = _files.PutBlockwise(body, 6, null, "d", "up.bin");

        Assert.Equal(CoapCode.Continue, first.Code);
        Assert.Equal(0, beforeCommit);
        Assert.Equal(CoapCode.Created, last.Code);
        Assert.Equal([(D, "up.bin", 0)], _sync.Flushes);
    }

    [Fact]
    public void A_mkdir_flushes_its_parent_before_the_2_01()
    {
        var created = _files.Put([], "d", "e", "");

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal([(D, "e", 0)], _sync.Flushes);
    }

    [Fact]
    public void Parents_created_for_a_put_are_each_flushed_into_their_own_parent()
    {
        var created = _files.Put("x"u8.ToArray(), "d", "p", "q", "f.txt");

        Assert.Equal(CoapCode.Created, created.Code);
        Assert.Equal([(D, "p", 0), (Path.Join(D, "p"), "q", 0), (Path.Join(D, "p", "q"), "f.txt", 0)], _sync.Flushes);
    }

    [Fact]
    public void A_delete_of_a_file_or_a_tree_flushes_the_parent_after_the_removal_and_before_the_2_02()
    {
        File.WriteAllText(_files.InRoot("d", "f.txt"), "x");
        Directory.CreateDirectory(_files.InRoot("d", "t", "u"));
        File.WriteAllText(_files.InRoot("d", "t", "u", "g.txt"), "y");

        var file = _files.Delete("d", "f.txt");
        var tree = _files.Delete("d", "t", "");

        Assert.Equal(CoapCode.Deleted, file.Code);
        Assert.Equal(CoapCode.Deleted, tree.Code);
        Assert.Equal([(D, "t", 0), (D, "", 0)], _sync.Flushes);
    }

    [Fact]
    public void A_refused_change_flushes_nothing()
    {
        File.WriteAllText(_files.InRoot("d", "f.txt"), "x");
        var request = _files.Request(CoapCode.Put, "d", "f.txt");
        request.Payload = "y"u8.ToArray();
        request.Options.Add(CoapOption.Empty(OptionNumber.IfNoneMatch));

        Assert.Equal(CoapCode.PreconditionFailed, _files.Exchange(request).Code);
        Assert.Equal(CoapCode.NotFound, _files.Delete("d", "missing.txt").Code);
        Assert.Empty(_sync.Flushes);
    }
}
