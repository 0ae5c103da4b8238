using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Server.Access;

/// <summary>One rule of the policy, ready to match: its path prefix as UTF-8 segments and its lists by method and by class.</summary>
internal sealed class PathRule
{
    /// <summary>By method code (GET 1 … iPATCH 7); index 0 is unused.</summary>
    private readonly AllowList?[] _methods = new AllowList?[8];
    private readonly string[] _names;
    private readonly byte[][] _segments;
    private readonly AllowList? _read;
    private readonly AllowList? _write;

    public PathRule(string path, AccessRule rule, IReadOnlyDictionary<string, List<string>> groups)
    {
        Path = path.Trim('/');
        _names = Path.Length == 0 ? [] : Path.Split('/');
        _segments = [.. _names.Select(Encoding.UTF8.GetBytes)];
        _read = Parse(rule.Read, groups);
        _write = Parse(rule.Write, groups);
        _methods[CoapCode.Get.Value] = Parse(rule.Get, groups);
        _methods[CoapCode.Post.Value] = Parse(rule.Post, groups);
        _methods[CoapCode.Put.Value] = Parse(rule.Put, groups);
        _methods[CoapCode.Delete.Value] = Parse(rule.Delete, groups);
        _methods[CoapCode.Fetch.Value] = Parse(rule.Fetch, groups);
        _methods[CoapCode.Patch.Value] = Parse(rule.Patch, groups);
        _methods[CoapCode.IPatch.Value] = Parse(rule.IPatch, groups);
    }

    /// <summary>The prefix without leading or trailing '/'; empty for the root.</summary>
    public string Path { get; }

    public int Depth => _segments.Length;

    /// <summary>What this rule says of <paramref name="method"/> in its class, or null when it says nothing.</summary>
    public AllowList? For(CoapCode method, bool write) =>
        (method.Value < _methods.Length ? _methods[method.Value] : null) ?? (write ? _write : _read);

    /// <summary>Whether the request's Uri-Path starts with this rule's segments.</summary>
    public bool Covers(CoapOptionList options)
    {
        var index = 0;
        foreach (var option in options.GetAll(OptionNumber.UriPath))
        {
            if (index == _segments.Length)
            {
                return true;
            }

            if (!option.Value.Span.SequenceEqual(_segments[index++]))
            {
                return false;
            }
        }

        return index == _segments.Length;
    }

    /// <summary>Whether a path ("files/docs") starts with this rule's segments.</summary>
    public bool Covers(string[] path) => path.Length >= _names.Length && path.AsSpan(0, _names.Length).SequenceEqual(_names);

    private static AllowList? Parse(string? text, IReadOnlyDictionary<string, List<string>> groups) =>
        text is null ? null : AllowList.Parse(text, groups);
}
