using Coap.Engine.Hosting;

namespace Coap.Engine.Tests.Hosting;

public sealed class DirectorySyncTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coap-dirsync-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Syncing_a_directory_reaches_the_file_system_and_reports_a_failure()
    {
        var missing = Path.Combine(_directory, "missing");

        DirectorySync.Flush(_directory);
        var error = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));

        Assert.Contains("open(" + missing + ")", error.Message, StringComparison.Ordinal);
    }
}
