using Coap.Engine.Client;

namespace Services.FileServer.Client;

/// <summary>
/// The entries of a listing as they are read, whatever its format: each name goes through <see cref="RemoteName"/>
/// here, and each size: one that no block-wise transfer could carry (above <see cref="RemoteEntry.MaxSize"/>, or
/// negative) is a claim the client does not keep (the entry's size is unknown), so nothing sums, shows or sizes a
/// buffer by it.
/// </summary>
internal sealed class ListingEntries
{
    public List<RemoteEntry> Entries { get; } = [];

    public List<RefusedName> Refused { get; } = [];

    /// <summary>Entries and refused names so far.</summary>
    public int Count => Entries.Count + Refused.Count;

    /// <summary>The refusal of a listing with more than <paramref name="max"/> entries.</summary>
    public static CoapException TooMany(CoapUri directory, int max) =>
        new($"The listing of {directory} holds more than {max} entries, more than this client reads (MaxListingEntries).");

    public void Add(RemoteEntry entry)
    {
        if (RemoteName.Problem(entry.Name) is { } problem)
        {
            Refuse(RemoteName.Shown(entry.Name), problem);
        }
        else
        {
            Entries.Add(entry.Size is < 0 or > RemoteEntry.MaxSize ? entry with { Size = null } : entry);
        }
    }

    public void Refuse(string shown, string reason) => Refused.Add(new RefusedName(shown, reason));
}
