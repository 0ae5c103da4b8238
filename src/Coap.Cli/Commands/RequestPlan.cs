using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands;

/// <summary>What to send: method and URI, the payload, and what to change in the options the URI gives.</summary>
internal sealed record RequestPlan(CoapUri Uri, CoapCode Method)
{
    public RequestBody Body { get; init; }

    public int? Accept { get; init; }

    /// <summary>Uri-Path segments that replace the URI's path, or null to keep it.</summary>
    public IReadOnlyList<string>? Path { get; init; }

    /// <summary>Uri-Query arguments sent after the URI's own.</summary>
    public IReadOnlyList<string> Query { get; init; } = [];
}
