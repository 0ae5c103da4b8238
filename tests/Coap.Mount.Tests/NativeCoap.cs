using System.Reflection;
using Coap.Testing.Programs;

namespace Coap.Mount.Tests;

/// <summary>
/// coap as a user installs it: <c>dotnet publish src/Coap.Cli -c Release -o DIR</c>, which makes a native executable
/// (NativeAOT), published once for the tests that use it into a temp directory removed afterwards.
/// </summary>
public sealed class NativeCoap : IAsyncLifetime
{
    /// <summary>A bound on the publish: the native compiler and linker take a minute or two on two busy cores.</summary>
    private static readonly TimeSpan PublishLimit = TimeSpan.FromMinutes(8);

    private readonly string _directory = Directory.CreateTempSubdirectory("coap-native-").FullName;

    /// <summary>The native coap executable.</summary>
    public string Executable => Path.Combine(_directory, "coap");

    public async Task InitializeAsync()
    {
        var project = Path.GetFullPath(typeof(NativeCoap).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CoapCliProject").Value!);
        var publish = await Tool.RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", _directory, "-nologo", "-v", "quiet"], PublishLimit);
        Assert.True(publish.ExitCode == 0 && File.Exists(Executable), $"publish failed:\n{publish.StandardOutput}\n{publish.StandardError}");
        Assert.False(File.Exists(Path.Combine(_directory, "coap.dll")), "the publish made a coap.dll for the JIT, not a native coap");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Runs the native coap with <paramref name="arguments"/> to its end (60 s at most).</summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) => Tool.RunAsync(Executable, arguments, TimeSpan.FromSeconds(60));
}
