using System.Globalization;
using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// Which answers the fuzzer got, counted by method, resource and code ("PUT /files/… 2.31"): whether a run reached every
/// resource with every method and past the first checks, and how often.
/// </summary>
public sealed class Coverage
{
    private readonly Dictionary<string, int> _answers = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Answers => _answers;

    internal void Count(CoapMessage request, CoapMessage response)
    {
        var key = $"{Method(request.Code)} {Resource(request.GetUriPathSegments())} {response.Code}";
        _answers[key] = _answers.GetValueOrDefault(key) + 1;
    }

    public void Merge(Coverage other)
    {
        foreach (var (key, count) in other._answers)
        {
            _answers[key] = _answers.GetValueOrDefault(key) + count;
        }
    }

    /// <summary>One line per resource and method: the codes and their counts.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var group in _answers.GroupBy(a => a.Key[..a.Key.LastIndexOf(' ')]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(group.Key).Append(':');
            foreach (var (key, count) in group.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $" {key[(key.LastIndexOf(' ') + 1)..]}×{count}");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Method(CoapCode code) => code.Value switch
    {
        1 => "GET",
        2 => "POST",
        3 => "PUT",
        4 => "DELETE",
        5 => "FETCH",
        6 => "PATCH",
        7 => "iPATCH",
        _ => code.ToString(),
    };

    private static string Resource(IReadOnlyList<string> path) => path switch
    {
        [Served.Files, ..] => "/files/…",
        [Served.Time] => "/time",
        [Served.PubSub] => "/ps",
        [Served.PubSub, "data", _] => "/ps/data/{id}",
        [Served.PubSub, _] => "/ps/{id}",
        [Served.Dns] => "/dns",
        [".well-known", "core"] => "/.well-known/core",
        _ => "elsewhere",
    };
}
