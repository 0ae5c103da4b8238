using System.Formats.Cbor;
using Coap.Engine.Client;
using Coap.Testing.Files;

namespace Services.FileServer.Client.Tests;

/// <summary>
/// Listings from a server that lies: every name that is not a plain name once percent-decoded is left out of the
/// entries and listed as refused, in link-format and in the CBOR listing alike.
/// </summary>
public sealed class HostileListingTests : IDisposable
{
    private static readonly string Long = new('n', 256);

    private readonly string _outside = Directory.CreateTempSubdirectory("coap-hostile-").FullName;

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    private string Absolute => Path.Combine(_outside, "x");

    private string[] ExpectedRefused => ["..%2Fescaped.txt", "%2E%2E", "%2E", "%2E%2E", "a%2Fb", "a%2Fb", "a%5Cb", "%00", Uri.EscapeDataString(Absolute), string.Empty, Long];

    private static async Task<RemoteListing> ListAsync(HostileFileServer server, bool details)
    {
        var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        await using (client)
        {
            return await new CoapFileClient(client).GetListingAsync(CoapUri.Parse(server.Uri), details);
        }
    }

    [Fact]
    public async Task A_link_format_listing_keeps_only_plain_names_after_decoding()
    {
        var links = $"<%2E%2E%2Fescaped.txt>;sz=7,<..>,<.>,<../>,<a%2Fb>,<a/b>,<a%5Cb>,<%00>,<{Uri.EscapeDataString(Absolute)}>,<.//>,<{Long}>,<ok.txt>;sz=7,<sub/>";
        await using var server = new HostileFileServer(links, []);

        var listing = await ListAsync(server, details: false);

        Assert.Equal([("ok.txt", false), ("sub", true)], listing.Entries.Select(entry => (entry.Name, entry.IsDirectory)));
        Assert.Equal(ExpectedRefused, listing.Refused.Select(refused => refused.Shown));
    }

    /// <summary>aiocoap-fileserver lists absolute paths: those of the directory's children count, no other.</summary>
    [Fact]
    public async Task A_link_format_listing_with_absolute_paths_keeps_the_directory_s_children_only()
    {
        await using var server = new HostileFileServer("</files/a%20b.txt>;sz=3,</files/sub/>,</other/x.txt>,</files/sub/deep.txt>,</files/..>,</x.txt>", []);

        var listing = await ListAsync(server, details: false);

        Assert.Equal([("a b.txt", false), ("sub", true)], listing.Entries.Select(entry => (entry.Name, entry.IsDirectory)));
        Assert.Equal(["%2Fother%2Fx.txt", "%2Ffiles%2Fsub%2Fdeep.txt", "%2E%2E", "%2Fx.txt"], listing.Refused.Select(refused => refused.Shown));
    }

    [Fact]
    public async Task A_CBOR_listing_keeps_only_plain_names()
    {
        var writer = new CborWriter();
        writer.WriteStartArray(null);
        foreach (var (name, type) in new[]
        {
            ("../escaped.txt", "file"), ("..", "file"), (".", "dir"), ("..", "dir"), ("a/b", "file"), ("a/b", "dir"), ("a\\b", "file"),
            ("\0", "file"), (Absolute, "file"), (string.Empty, "dir"), (Long, "file"), ("ok.txt", "file"), ("sub", "dir"),
        })
        {
            writer.WriteStartMap(2);
            writer.WriteTextString("name");
            writer.WriteTextString(name);
            writer.WriteTextString("type");
            writer.WriteTextString(type);
            writer.WriteEndMap();
        }

        writer.WriteEndArray();
        await using var server = new HostileFileServer(string.Empty, writer.Encode());

        var listing = await ListAsync(server, details: true);

        Assert.Equal([("ok.txt", false), ("sub", true)], listing.Entries.Select(entry => (entry.Name, entry.IsDirectory)));
        Assert.Equal(ExpectedRefused, listing.Refused.Select(refused => refused.Shown));
    }
}
