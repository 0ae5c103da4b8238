namespace Services.FileServer.Client;

/// <summary>The entries of a listing as they are read, whatever its format: each name goes through <see cref="RemoteName"/> here.</summary>
internal sealed class ListingEntries
{
    public List<RemoteEntry> Entries { get; } = [];

    public List<RefusedName> Refused { get; } = [];

    public void Add(RemoteEntry entry)
    {
        if (RemoteName.Problem(entry.Name) is { } problem)
        {
            Refuse(RemoteName.Shown(entry.Name), problem);
        }
        else
        {
            Entries.Add(entry);
        }
    }

    public void Refuse(string shown, string reason) => Refused.Add(new RefusedName(shown, reason));
}
