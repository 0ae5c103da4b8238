using Coap.Engine.Protocol;

namespace Services.FileServer.Tests;

/// <summary>
/// The traversal battery: each request gets a clear 4.xx, and the sentinel tree next to the root is byte for byte
/// what it was, whatever the method.
/// </summary>
public sealed class TraversalTests : IAsyncLifetime
{
    private readonly FileServerFixture _files = new(writable: true, new Dictionary<string, string?> { ["Modules:FileServer:CreateParents"] = "true" });
    private string _before = string.Empty;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_files.InRoot("a"));
        File.WriteAllText(_files.InRoot("a", "inside.txt"), "inside");
        File.CreateSymbolicLink(_files.InRoot("escape.txt"), Path.Join(_files.Outside, "secret.txt"));
        Directory.CreateSymbolicLink(_files.InRoot("escape"), _files.Outside);
        Directory.CreateSymbolicLink(_files.InRoot("a", "up"), "../..");
        _before = _files.SentinelHash();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(_before, _files.SentinelHash());
        Assert.True(File.Exists(Path.Join(_files.Outside, "secret.txt")));
        await _files.DisposeAsync();
    }

    public static TheoryData<string[], int> Paths => new()
    {
        { [".."], 0 },
        { ["..", "outside", "secret.txt"], 0 },
        { ["a", "..", "..", "outside", "secret.txt"], 0 },
        { ["a", "..", "..", ""], 0 },
        { [".", "a", "inside.txt"], 0 },
        { ["a", "", "inside.txt"], 0 },
        { ["a/../../outside/secret.txt"], 0 },
        { ["/etc/passwd"], 0 },
        { ["..\u0000", "x"], 0 },
        { ["secret\u0000.txt"], 0 },
        { [new string('n', 256)], 2 },
        { [".hidden"], 3 },
        { ["escape.txt"], 3 },
        { ["escape", "secret.txt"], 3 },
        { ["escape", "nested", ""], 3 },
        { ["a", "up", "outside", "secret.txt"], 3 },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Get_put_and_delete_outside_the_root_are_refused(string[] segments, int detail)
    {
        var get = _files.Get(segments);
        var put = _files.Put("overwritten"u8.ToArray(), segments);
        var delete = _files.Delete(segments);

        foreach (var reply in new[] { get, put, delete })
        {
            Assert.Equal(4, reply.Code.Class);
            if (detail != 0)
            {
                Assert.Equal(detail, reply.Code.Detail);
            }
            else
            {
                Assert.Equal(CoapCode.BadRequest, reply.Code);
            }

            Assert.DoesNotContain("secret", FileServerFixture.Text(reply), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_literal_percent_2e_segment_is_an_ordinary_name_inside_the_root()
    {
        Assert.Equal(CoapCode.NotFound, _files.Get("%2e%2e", "outside", "secret.txt").Code);

        var put = _files.Put("literal"u8.ToArray(), "%2e%2e", "x.txt");

        Assert.Equal(CoapCode.Created, put.Code);
        Assert.Equal("literal", File.ReadAllText(_files.InRoot("%2e%2e", "x.txt")));
    }

    [Fact]
    public void A_block_wise_put_through_a_link_out_of_the_root_is_refused_on_block_0()
    {
        var reply = _files.PutBlock(FileServerFixture.RandomBytes(100), 0, 0, null, "escape", "new.bin");

        Assert.Equal(CoapCode.Forbidden, reply.Code);
        Assert.False(File.Exists(Path.Join(_files.Outside, "new.bin")));
    }

    [Fact]
    public void Creating_parents_never_follows_a_link_out_of_the_root()
    {
        var reply = _files.Put("x"u8.ToArray(), "escape", "made", "x.txt");

        Assert.Equal(4, reply.Code.Class);
        Assert.False(Directory.Exists(Path.Join(_files.Outside, "made")));
    }

    [Fact]
    public void Links_inside_the_root_are_followed_and_listed_but_links_out_are_not_listed()
    {
        File.CreateSymbolicLink(_files.InRoot("alias.txt"), _files.InRoot("a", "inside.txt"));

        Assert.Equal("inside", FileServerFixture.Text(_files.Get("alias.txt")));
        var listing = FileServerFixture.Text(_files.Get(""));
        Assert.Contains("<alias.txt>", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("escape", listing, StringComparison.Ordinal);
    }

    [Fact]
    public void Deleting_a_directory_with_a_link_out_of_the_root_is_refused_and_follows_nothing()
    {
        Directory.CreateSymbolicLink(_files.InRoot("a", "out"), _files.Outside);

        Assert.Equal(CoapCode.Conflict, _files.Delete("a", "").Code);
        Assert.True(Directory.Exists(_files.InRoot("a", "out")));
    }

    [Fact]
    public void Deleting_a_directory_with_a_link_inside_the_root_removes_the_link_only()
    {
        Directory.CreateDirectory(_files.InRoot("target"));
        File.WriteAllText(_files.InRoot("target", "kept.txt"), "kept");
        Directory.CreateDirectory(_files.InRoot("b"));
        Directory.CreateSymbolicLink(_files.InRoot("b", "in"), _files.InRoot("target"));

        Assert.Equal(CoapCode.Deleted, _files.Delete("b", "").Code);
        Assert.False(Directory.Exists(_files.InRoot("b")));
        Assert.True(File.Exists(_files.InRoot("target", "kept.txt")));
    }

    [Fact]
    public void A_link_to_a_hidden_name_inside_the_root_is_not_served_or_listed()
    {
        Directory.CreateDirectory(_files.InRoot(".git"));
        File.WriteAllText(_files.InRoot(".git", "config"), "hidden");
        File.CreateSymbolicLink(_files.InRoot("config"), _files.InRoot(".git", "config"));
        Directory.CreateSymbolicLink(_files.InRoot("repo"), _files.InRoot(".git"));

        Assert.Equal(CoapCode.Forbidden, _files.Get("config").Code);
        Assert.Equal(CoapCode.Forbidden, _files.Get("repo", "config").Code);
        Assert.Equal(CoapCode.Forbidden, _files.Get("repo", "").Code);
        var listing = FileServerFixture.Text(_files.Get(""));
        Assert.DoesNotContain("config", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("repo", listing, StringComparison.Ordinal);
    }
}
