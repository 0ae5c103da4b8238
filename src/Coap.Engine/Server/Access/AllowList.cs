namespace Coap.Engine.Server.Access;

/// <summary>
/// One value of a rule, parsed: entries separated by spaces or commas, each <c>anyone</c>, <c>authenticated</c>,
/// <c>loopback</c>, <c>nobody</c> (keywords in any case), <c>@group</c> or an identity (as written); groups are
/// expanded into their identities when the policy is built.
/// </summary>
internal sealed class AllowList
{
    private static readonly char[] Separators = [' ', ',', '\t'];

    private readonly HashSet<string> _identities = new(StringComparer.Ordinal);
    private bool _anyone;
    private bool _authenticated;
    private bool _loopback;

    public static AllowList Anyone { get; } = new() { _anyone = true };

    public static AllowList Authenticated { get; } = new() { _authenticated = true };

    /// <summary>Whether the list lets everyone, so that the requester need not be asked who it is.</summary>
    public bool AllowsAnyone => _anyone;

    public bool Allows(Principal principal) => principal.Kind switch
    {
        _ when _anyone => true,
        PrincipalKind.Anonymous => false,
        _ when _authenticated => true,
        PrincipalKind.Loopback => _loopback,
        _ => _identities.Contains(principal.Identity!),
    };

    public static string[] Entries(string text) => text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Parses a value the validator accepted.</summary>
    public static AllowList Parse(string text, IReadOnlyDictionary<string, List<string>> groups)
    {
        var list = new AllowList();
        foreach (var entry in Entries(text))
        {
            switch (entry.ToLowerInvariant())
            {
                case "anyone":
                    list._anyone = true;
                    break;
                case "authenticated":
                    list._authenticated = true;
                    break;
                case "loopback":
                    list._loopback = true;
                    break;
                case "nobody":
                    break;
                default:
                    if (entry.StartsWith('@'))
                    {
                        list._identities.UnionWith(groups[entry[1..]]);
                    }
                    else
                    {
                        list._identities.Add(entry);
                    }

                    break;
            }
        }

        return list;
    }

    /// <summary>Null when <paramref name="text"/> is a valid value, else the start-up error naming <paramref name="key"/>.</summary>
    public static string? Check(string key, string text, IReadOnlyDictionary<string, List<string>> groups)
    {
        var entries = Entries(text);
        if (entries.Length == 0)
        {
            return $"{key} is empty: write 'nobody' to let no one, or leave the key out for the default.";
        }

        foreach (var entry in entries)
        {
            if (entry.StartsWith('@') && !groups.ContainsKey(entry[1..]))
            {
                return $"{key} names group '{entry[1..]}', which Access:Groups does not define.";
            }
        }

        return null;
    }
}
