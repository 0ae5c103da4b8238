using System.Text.Json;

namespace Coap.Cli.Tests.Cbor;

/// <summary>The RFC 8949 Appendix A examples, from appendix_a.json beside this file (the RFC's published test vectors).</summary>
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
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cbor", "appendix_a.json")));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
