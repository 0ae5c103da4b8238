using System.Globalization;
using Coap.Engine.Hosting;
using Microsoft.Extensions.Logging;
using Services.PubSub.Topics;

namespace Services.PubSub.State;

/// <summary>
/// Keeps each topic in its own file "{id}.topic" under Modules:PubSub:StateDirectory, written atomically: a temp
/// file is written and flushed to the disk, then renamed over the old one and the directory is flushed too, so a
/// crash leaves the old or the new state, never half of one (and a rename, move or deletion, once done, stays done).
/// A file that cannot be read is logged and moved aside to "{name}.corrupt-{UTC time}". A save or deletion that
/// fails is logged and thrown as <see cref="StateWriteException"/>, before the broker changes anything in memory.
/// <see cref="SaveAll"/> is the group commit's write: several topics' files with one sync for their contents and one
/// for the directory. Every sync goes through <see cref="IDiskSync"/>. Not thread-safe: the broker's
/// <see cref="StateWriter"/> calls it from one loop at a time.
/// </summary>
internal sealed class StateStore
{
    private const string Extension = ".topic";
    private const string TempExtension = ".tmp";

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDiskSync _sync;

    public StateStore(string directory, TimeProvider time, ILogger logger, IDiskSync sync)
    {
        _sync = sync;
        _directory = Path.GetFullPath(directory);
        _time = time;
        _logger = logger;
        try
        {
            System.IO.Directory.CreateDirectory(_directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CoapConfigurationException($"{PubSubOptions.SectionName}:StateDirectory '{directory}' cannot be created: {error.Message}", error);
        }
    }

    public string Directory => _directory;

    /// <summary>Every readable topic; leftover temp files of an interrupted write are removed, unreadable files moved aside.</summary>
    public IReadOnlyList<(string Id, TopicConfiguration Configuration, Publication? Value)> Load()
    {
        foreach (var temp in System.IO.Directory.EnumerateFiles(_directory, "*" + TempExtension))
        {
            File.Delete(temp);
        }

        var topics = new List<(string, TopicConfiguration, Publication?)>();
        foreach (var file in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            try
            {
                var record = TopicRecord.Read(File.ReadAllBytes(file));
                if (record.Id + Extension != Path.GetFileName(file))
                {
                    throw new InvalidDataException($"the record holds topic '{record.Id}'");
                }

                topics.Add(record);
            }
            catch (InvalidDataException error)
            {
                var aside = $"{file}.corrupt-{_time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
                File.Move(file, aside, overwrite: true);
                _sync.Directory(_directory);
                PubSubLog.CorruptState(_logger, file, aside, error.Message);
            }
        }

        _sync.Directory(_directory);
        return topics;
    }

    public void Save(string id, TopicConfiguration configuration, Publication? value)
    {
        var bytes = TopicRecord.Write(id, configuration, value);
        var target = PathOf(id);
        var temp = target + TempExtension;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                _sync.File(stream);
            }

            File.Move(temp, target, overwrite: true);
            _sync.Directory(_directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Failed(target, error);
        }
    }

    /// <summary>
    /// Saves several topics as one group: every temp file written, their contents made durable by one sync (the file's
    /// own fsync when there is one), then every rename and one sync of the directory. A failure leaves each topic's
    /// file old or new, removes the temp files still there and throws <see cref="StateWriteException"/> for the group.
    /// </summary>
    public void SaveAll(IReadOnlyList<(string Id, TopicConfiguration Configuration, Publication? Value)> topics)
    {
        if (topics.Count == 1)
        {
            Save(topics[0].Id, topics[0].Configuration, topics[0].Value);
            return;
        }

        var temps = new string[topics.Count];
        var current = _directory;
        try
        {
            for (var i = 0; i < topics.Count; i++)
            {
                current = PathOf(topics[i].Id);
                temps[i] = current + TempExtension;
                File.WriteAllBytes(temps[i], TopicRecord.Write(topics[i].Id, topics[i].Configuration, topics[i].Value));
            }

            current = _directory;
            _sync.Files(_directory, temps);
            for (var i = 0; i < topics.Count; i++)
            {
                current = PathOf(topics[i].Id);
                File.Move(temps[i], current, overwrite: true);
            }

            current = _directory;
            _sync.Directory(_directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            foreach (var temp in temps)
            {
                if (temp is not null)
                {
                    TryDelete(temp);
                }
            }

            throw Failed(current, error);
        }
    }

    public void Delete(string id)
    {
        var file = PathOf(id);
        try
        {
            File.Delete(file);
            _sync.Directory(_directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Failed(file, error);
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // What stands in the temp file's place is not ours to remove; Load removes temp files it can.
        }
    }

    private StateWriteException Failed(string file, Exception error)
    {
        PubSubLog.SaveFailed(_logger, error, file);
        return new StateWriteException(error);
    }

    private string PathOf(string id) => Path.Combine(_directory, id + Extension);
}
