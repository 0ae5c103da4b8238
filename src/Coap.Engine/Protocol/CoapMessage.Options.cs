using System.Text;

namespace Coap.Engine.Protocol;

/// <summary>Typed access to the options most code needs (RFC 7252 §5.10).</summary>
public sealed partial class CoapMessage
{
    public int? ContentFormat
    {
        get => (int?)Options.GetUInt(OptionNumber.ContentFormat);
        set => SetOptionalUInt(OptionNumber.ContentFormat, value);
    }

    public int? Accept
    {
        get => (int?)Options.GetUInt(OptionNumber.Accept);
        set => SetOptionalUInt(OptionNumber.Accept, value);
    }

    /// <summary>Max-Age in seconds; absent means 60 (RFC 7252 §5.10.5).</summary>
    public uint? MaxAge
    {
        get => Options.GetUInt(OptionNumber.MaxAge);
        set => SetOptionalUInt(OptionNumber.MaxAge, (int?)value);
    }

    public int? Observe
    {
        get => (int?)Options.GetUInt(OptionNumber.Observe);
        set => SetOptionalUInt(OptionNumber.Observe, value);
    }

    /// <summary>The Uri-Path as "/a/b"; a '/' or '%' inside a segment is percent-encoded (RFC 7252 §6.5).</summary>
    public string GetUriPath() => JoinSegments(OptionNumber.UriPath);

    /// <summary>The Location-Path as "/a/b" (RFC 7252 §5.10.7).</summary>
    public string GetLocationPath() => JoinSegments(OptionNumber.LocationPath);

    /// <summary>The Uri-Query options joined with '&amp;', without the '?'.</summary>
    public string GetUriQuery()
    {
        var builder = new StringBuilder();
        foreach (var option in Options.GetAll(OptionNumber.UriQuery))
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(option.GetString());
        }

        return builder.ToString();
    }

    /// <summary>The Uri-Path segments as strings.</summary>
    public IReadOnlyList<string> GetUriPathSegments() => GetStrings(OptionNumber.UriPath);

    /// <summary>The Uri-Query options as strings, one per option ("rt=core.ps.data").</summary>
    public IReadOnlyList<string> GetUriQueries() => GetStrings(OptionNumber.UriQuery);

    /// <summary>Sets Uri-Path from "/a/b" ("/" and "" mean no option); segments are taken literally.</summary>
    public void SetUriPath(string path)
    {
        Options.Remove(OptionNumber.UriPath);
        var trimmed = path.StartsWith('/') ? path[1..] : path;
        if (trimmed.Length == 0)
        {
            return;
        }

        foreach (var segment in trimmed.Split('/'))
        {
            Options.Add(CoapOption.FromString(OptionNumber.UriPath, segment));
        }
    }

    /// <summary>Replaces the Uri-Path with these segments.</summary>
    public void SetUriPathSegments(IEnumerable<string> segments)
    {
        Options.Remove(OptionNumber.UriPath);
        foreach (var segment in segments)
        {
            Options.Add(CoapOption.FromString(OptionNumber.UriPath, segment));
        }
    }

    /// <summary>Replaces the Location-Path with these segments (RFC 7252 §5.10.7); a last empty one is a trailing slash.</summary>
    public void SetLocationPathSegments(IEnumerable<string> segments)
    {
        Options.Remove(OptionNumber.LocationPath);
        foreach (var segment in segments)
        {
            Options.Add(CoapOption.FromString(OptionNumber.LocationPath, segment));
        }
    }

    /// <summary>Adds one Uri-Query option per '&amp;'-separated part.</summary>
    public void SetUriQuery(string query)
    {
        Options.Remove(OptionNumber.UriQuery);
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            Options.Add(CoapOption.FromString(OptionNumber.UriQuery, part));
        }
    }

    private string JoinSegments(ushort number)
    {
        var builder = new StringBuilder();
        foreach (var option in Options.GetAll(number))
        {
            builder.Append('/').Append(option.GetString().Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal));
        }

        return builder.Length == 0 ? "/" : builder.ToString();
    }

    private void SetOptionalUInt(ushort number, int? value)
    {
        if (value is { } v)
        {
            Options.SetUInt(number, (uint)v);
        }
        else
        {
            Options.Remove(number);
        }
    }

    private List<string> GetStrings(ushort number)
    {
        var values = new List<string>();
        foreach (var option in Options.GetAll(number))
        {
            values.Add(option.GetString());
        }

        return values;
    }
}
