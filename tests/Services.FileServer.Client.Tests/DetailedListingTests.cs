using System.Formats.Cbor;
using Coap.Engine.Client;
using Services.FileServer.Client;

namespace Services.FileServer.Client.Tests;

/// <summary>The file service's CBOR listing as the client reads it: known keys, unknown ones skipped, malformed input refused.</summary>
public sealed class DetailedListingTests
{
    private static readonly CoapUri Directory = CoapUri.Parse("coap://127.0.0.1/files/");

    [Fact]
    public void Entries_carry_kind_size_mtime_and_etag_and_unknown_keys_are_skipped()
    {
        var writer = new CborWriter();
        writer.WriteStartArray(2);
        writer.WriteStartMap(6);
        writer.WriteTextString("name");
        writer.WriteTextString("a b.txt");
        writer.WriteTextString("type");
        writer.WriteTextString("file");
        writer.WriteTextString("size");
        writer.WriteInt64(12);
        writer.WriteTextString("mtime");
        writer.WriteInt64(1_700_000_000);
        writer.WriteTextString("owner");
        writer.WriteStartArray(1);
        writer.WriteTextString("someone");
        writer.WriteEndArray();
        writer.WriteTextString("etag");
        writer.WriteByteString([1, 2, 3, 4, 5, 6, 7, 8]);
        writer.WriteEndMap();
        writer.WriteStartMap(2);
        writer.WriteTextString("type");
        writer.WriteTextString("dir");
        writer.WriteTextString("name");
        writer.WriteTextString("sub");
        writer.WriteEndMap();
        writer.WriteEndArray();

        var entries = DetailedListing.Parse(writer.Encode(), Directory, 100).Entries;

        Assert.Equal(2, entries.Count);
        Assert.Equal(("a b.txt", false, 12L), (entries[0].Name, entries[0].IsDirectory, entries[0].Size!.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), entries[0].Modified);
        Assert.Equal("0102030405060708", entries[0].ETag!.ToString());
        Assert.Equal(("sub", true, (long?)null, (DateTimeOffset?)null, (FileETag?)null), (entries[1].Name, entries[1].IsDirectory, entries[1].Size, entries[1].Modified, entries[1].ETag));
    }

    [Theory]
    [InlineData("81a1646e616d65")] // a map whose value is missing (truncated)
    [InlineData("a0")] // a map where an array belongs
    [InlineData("81a2646e616d6561786474797065646c696e6b")] // type "link"
    public void A_malformed_listing_is_a_CoapException_naming_the_directory(string hex)
    {
        var error = Assert.Throws<CoapException>(() => DetailedListing.Parse(Convert.FromHexString(hex), Directory, 100));

        Assert.Contains("coap://127.0.0.1/files/", error.Message, StringComparison.Ordinal);
    }
}
