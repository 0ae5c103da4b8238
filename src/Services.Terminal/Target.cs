using Coap.Engine.Server;

namespace Services.Terminal;

/// <summary>A request's place below the mount: the session id and the part ("/term/" → collection, "/term/ab12/out" → out).</summary>
internal readonly record struct Target(string Id, SessionPart Part)
{
    public static Target Parse(CoapRequestContext context)
    {
        context.Route.TryGetSegments("path", out var segments);
        return segments switch
        {
            [] or [""] => new(string.Empty, SessionPart.Collection),
            [var id] => new(id, SessionPart.Session),
            [var id, ""] => new(id, SessionPart.Session),
            [var id, var part] => new(id, part switch
            {
                "out" => SessionPart.Out,
                "in" => SessionPart.In,
                "size" => SessionPart.Size,
                "status" => SessionPart.Status,
                _ => SessionPart.Unknown,
            }),
            _ => new(string.Empty, SessionPart.Unknown),
        };
    }
}
