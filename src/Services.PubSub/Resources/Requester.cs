using System.Net;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Server.Access;
using Services.PubSub.Topics;

namespace Services.PubSub.Resources;

/// <summary>
/// Who a request acts for, as the broker records and reports it: the requester as the engine's access policy sees it
/// ("identity:alice", "loopback" for a trusted loopback peer), and for an anonymous one (only where a rule lets
/// anonymous peers write) its IP address ("address:192.0.2.7", without the port, which a client changes with every
/// run). A topic keeps its creator's, and only its creator or a member of <see cref="PubSubOptions.AdminGroup"/> may
/// reconfigure or delete it; a change that ends other clients' subscriptions is logged with the requester's.
/// </summary>
internal sealed class Requester
{
    private readonly AccessPolicy _access;
    private readonly string _adminGroup;

    public Requester(AccessPolicy access, string adminGroup)
    {
        _access = access;
        _adminGroup = adminGroup;
    }

    public string Of(CoapRequestContext context) => Of(context, _access.PrincipalOf(context));

    /// <summary>Null when the requester may reconfigure or delete <paramref name="topic"/>; else 4.01 (anonymous) or 4.03.</summary>
    public CoapCode? RefusesManaging(CoapRequestContext context, Topic topic)
    {
        var principal = _access.PrincipalOf(context);
        if (Owner(topic.Configuration.Creator) == Of(context, principal) || (_adminGroup.Length > 0 && _access.IsMember(principal, _adminGroup)))
        {
            return null;
        }

        return principal.IsAuthenticated ? CoapCode.Forbidden : CoapCode.Unauthorized;
    }

    private static string Of(CoapRequestContext context, Principal principal) =>
        principal.Owner ?? "address:" + context.RemoteEndPoint.Address;

    /// <summary>A creator as recorded; one stored before identities were kept is a bare address, a loopback one the loopback requester.</summary>
    private static string? Owner(string? creator) =>
        creator is not null && IPAddress.TryParse(creator, out var address)
            ? (Principal.IsLoopback(address) ? Principal.Loopback.Owner : "address:" + creator)
            : creator;
}
