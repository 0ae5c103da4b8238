namespace Coap.Cli.Mount;

/// <summary>
/// The mount's log: one line per event, "coap mount: …", on stderr or a file. A log that can no longer be written
/// (a closed terminal) is dropped silently: logging must never fail a file system call.
/// </summary>
internal sealed class MountLog : IDisposable
{
    private readonly TextWriter _writer;
    private readonly Lock _gate = new();
    private readonly bool _owned;

    public MountLog(TextWriter writer, bool owned = false)
    {
        _writer = writer;
        _owned = owned;
    }

    public void Write(string message)
    {
        lock (_gate)
        {
            try
            {
                _writer.WriteLine($"coap mount: {message}");
                _writer.Flush();
            }
            catch (IOException)
            {
                // Nowhere left to write to.
            }
            catch (ObjectDisposedException)
            {
                // The log was closed while the file system was still answering.
            }
        }
    }

    public void Dispose()
    {
        if (_owned)
        {
            lock (_gate)
            {
                _writer.Dispose();
            }
        }
    }
}
