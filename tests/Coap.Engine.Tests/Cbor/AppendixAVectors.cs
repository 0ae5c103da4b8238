using System.Text.Json;

namespace Coap.Engine.Tests.Cbor;

/// <summary>The RFC 8949 Appendix A examples from the shared test data (../shared/testdata/cbor beside the repository).</summary>
public static class AppendixAVectors
{
    private static readonly Lazy<JsonElement[]> Vectors = new(Load);

    /// <summary>Every vector's index, for xunit theories.</summary>
    public static TheoryData<int> All()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Vectors.Value.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    public static JsonElement Get(int index) => Vectors.Value[index];

    public static int Count => Vectors.Value.Length;

    private static JsonElement[] Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Everything.sln")))
        {
            directory = directory.Parent;
        }

        var path = directory is null ? null : Path.Combine(directory.FullName, "..", "shared", "testdata", "cbor", "appendix_a.json");
        if (path is null || !File.Exists(path))
        {
            throw new FileNotFoundException("The RFC 8949 test vectors are expected at ../shared/testdata/cbor/appendix_a.json beside the repository.", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
