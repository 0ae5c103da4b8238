using Coap.Engine.Hosting;
using Coap.Engine.Server;

namespace Coap.Engine.Oscore;

/// <summary>
/// The server's OSCORE contexts from Coap:Oscore:Contexts, loaded at start: the lookup table the pipeline unprotects
/// with, and the folders, whose exact state Dispose saves (a clean stop needs no Echo round trip afterwards).
/// </summary>
internal sealed class OscoreServerContexts : IDisposable
{
    private readonly List<OscoreContextFolder> _folders;

    private OscoreServerContexts(OscoreContextTable table, List<OscoreContextFolder> folders)
    {
        Table = table;
        _folders = folders;
    }

    public OscoreContextTable Table { get; }

    /// <summary>Null when no context is configured; a <see cref="CoapConfigurationException"/> naming the key and folder otherwise.</summary>
    public static OscoreServerContexts? Load(OscoreServerOptions options)
    {
        if (options.Contexts.Count == 0)
        {
            return null;
        }

        var table = new OscoreContextTable();
        var folders = new List<OscoreContextFolder>();
        try
        {
            foreach (var (identity, directory) in options.Contexts)
            {
                var key = $"Coap:Oscore:Contexts:{identity}";
                OscoreContextFolder folder;
                try
                {
                    folder = OscoreContextFolder.Open(directory);
                }
                catch (Exception e) when (e is OscoreContextFolderException or IOException or UnauthorizedAccessException or ArgumentException)
                {
                    throw new CoapConfigurationException($"{key}: the OSCORE context folder '{directory}' cannot be used: {e.Message}", e);
                }

                folders.Add(folder);
                try
                {
                    table.Add(identity, folder.Context);
                }
                catch (ArgumentException e)
                {
                    throw new CoapConfigurationException($"{key} ('{directory}'): {e.Message}", e);
                }
            }
        }
        catch
        {
            foreach (var folder in folders)
            {
                folder.Dispose();
            }

            throw;
        }

        return new OscoreServerContexts(table, folders);
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }
}
