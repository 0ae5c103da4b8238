using System.Formats.Cbor;
using Coap.Engine.Client;
using Coap.Testing.Files;

namespace Services.FileServer.Client.Tests;

/// <summary>
/// A listing is bounded whatever the server sends: in bytes (early, by block 0's Size2), in entries (link-format and
/// CBOR), in attributes per link; a size no block-wise transfer could carry is not believed, in either format.
/// </summary>
public sealed class ListingLimitTests
{
    private static async Task<RemoteListing> ListAsync(HostileFileServer server, bool details = false, Action<CoapFileClient>? configure = null)
    {
        var client = new CoapClient(new CoapClientOptions { Timeout = TimeSpan.FromSeconds(10) });
        await using (client)
        {
            var files = new CoapFileClient(client);
            configure?.Invoke(files);
            return await files.GetListingAsync(CoapUri.Parse(server.Uri), details);
        }
    }

    [Fact]
    public async Task A_listing_larger_than_the_limit_is_refused_after_block_0_announced_it()
    {
        var links = string.Join(',', Enumerable.Range(0, 2000).Select(i => $"<f{i:D4}>"));
        await using var server = new HostileFileServer(links, []);

        var error = await Assert.ThrowsAsync<CoapException>(() => ListAsync(server, configure: files => files.MaxListingBytes = 4096));

        Assert.Equal($"The listing of {server.Uri} is larger than 4096 bytes, more than this client reads.", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_CBOR_listing_with_more_entries_than_the_limit_is_refused_definite_or_not()
    {
        foreach (var definite in new[] { true, false })
        {
            var writer = new CborWriter();
            writer.WriteStartArray(definite ? 4 : null);
            for (var i = 0; i < 4; i++)
            {
                writer.WriteStartMap(2);
                writer.WriteTextString("name");
                writer.WriteTextString($"f{i}");
                writer.WriteTextString("type");
                writer.WriteTextString("file");
                writer.WriteEndMap();
            }

            writer.WriteEndArray();
            await using var server = new HostileFileServer(string.Empty, writer.Encode());

            var error = await Assert.ThrowsAsync<CoapException>(() => ListAsync(server, details: true, configure: files => files.MaxListingEntries = 3));
            var listing = await ListAsync(server, details: true, configure: files => files.MaxListingEntries = 4);

            Assert.Equal($"The listing of {server.Uri} holds more than 3 entries, more than this client reads (MaxListingEntries).", error.Message);
            Assert.Equal(4, listing.Entries.Count);
        }
    }

    [Fact]
    public async Task A_link_with_more_attributes_than_an_entry_has_is_refused()
    {
        await using var server = new HostileFileServer("<a>" + string.Concat(Enumerable.Repeat(";x", 17)), []);

        var error = await Assert.ThrowsAsync<CoapException>(() => ListAsync(server));

        Assert.Contains("more than 16 attributes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_size_past_what_a_block_wise_transfer_carries_is_unknown_in_both_formats()
    {
        var writer = new CborWriter();
        writer.WriteStartArray(4);
        foreach (var (name, size) in new[] { ("max", (object)RemoteEntry.MaxSize), ("over", RemoteEntry.MaxSize + 1), ("huge", ulong.MaxValue), ("negative", -1L) })
        {
            writer.WriteStartMap(3);
            writer.WriteTextString("name");
            writer.WriteTextString(name);
            writer.WriteTextString("type");
            writer.WriteTextString("file");
            writer.WriteTextString("size");
            if (size is ulong big)
            {
                writer.WriteUInt64(big);
            }
            else
            {
                writer.WriteInt64((long)size);
            }

            writer.WriteEndMap();
        }

        writer.WriteEndArray();
        await using var server = new HostileFileServer($"<max>;sz={RemoteEntry.MaxSize},<over>;sz={RemoteEntry.MaxSize + 1},<huge>;sz=9223372036854775807", writer.Encode());

        var links = await ListAsync(server);
        var cbor = await ListAsync(server, details: true);

        Assert.Equal([("max", (long?)RemoteEntry.MaxSize), ("over", null), ("huge", null)], links.Entries.Select(entry => (entry.Name, entry.Size)));
        Assert.Equal([("max", (long?)RemoteEntry.MaxSize), ("over", null), ("huge", null), ("negative", null)], cbor.Entries.Select(entry => (entry.Name, entry.Size)));
    }
}
