using Coap.Engine.Protocol;

namespace Services.Time;

/// <summary>The time resource's query: format=basic|extended and scale=utc|tai; anything else is refused with 4.00.</summary>
internal readonly record struct TimeQuery(bool Extended, bool Tai)
{
    public static bool TryParse(CoapMessage request, out TimeQuery query, out string error)
    {
        query = default;
        error = string.Empty;
        foreach (var option in request.Options.GetAll(OptionNumber.UriQuery))
        {
            var part = option.GetString();
            switch (part)
            {
                case "format=extended":
                    query = query with { Extended = true };
                    break;
                case "format=basic":
                    query = query with { Extended = false };
                    break;
                case "scale=tai":
                    query = query with { Tai = true };
                    break;
                case "scale=utc":
                    query = query with { Tai = false };
                    break;
                default:
                    error = $"unknown query '{part}': use format=basic|extended and scale=utc|tai";
                    return false;
            }
        }

        return true;
    }
}
