namespace Coap.Cli.Commands;

/// <summary>
/// What a command opened for its whole run and must close at its end, whatever the outcome (an OSCORE context
/// folder: its lock released, its state saved). <see cref="CommandAction.RunAsync"/> opens the scope; one per
/// invocation, so commands run in the same process (tests) never share one.
/// </summary>
internal static class CommandResources
{
    private static readonly AsyncLocal<List<IDisposable>?> Current = new();

    /// <summary>Closes <paramref name="resource"/> when the running command ends (at process exit outside a command).</summary>
    public static T Own<T>(T resource)
        where T : IDisposable
    {
        Current.Value?.Add(resource);
        return resource;
    }

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        var owned = new List<IDisposable>();
        Current.Value = owned;
        try
        {
            return await body().ConfigureAwait(false);
        }
        finally
        {
            Current.Value = null;
            for (var i = owned.Count - 1; i >= 0; i--)
            {
                owned[i].Dispose();
            }
        }
    }
}
