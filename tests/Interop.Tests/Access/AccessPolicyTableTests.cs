using Coap.Testing;
using System.Net;
using Coap.Engine.Protocol;

namespace Interop.Tests.Access;

/// <summary>
/// The access policy over plain CoAP: identities × modules × methods, each answered 2.xx (or the module's own 4.04)
/// when the policy lets the request through, 4.01 when the requester has no identity, 4.03 when its identity is not
/// allowed. The defaults (reads for anyone, writes for identities and trusted loopback peers; DoC's FETCH and POST
/// are reads) with an admin group ("root") and two rules: the terminal for "@admin loopback", file DELETE for
/// "@admin". A topic is reconfigured and deleted by its creator or an admin only (here created by root).
/// </summary>
public sealed class AccessPolicyTableTests
{
    public enum Who
    {
        /// <summary>Plain CoAP from 192.0.2.7.</summary>
        Anonymous,

        /// <summary>Plain CoAP from 127.0.0.1, Access:TrustLoopback true (the default).</summary>
        Loopback,

        /// <summary>Plain CoAP from 127.0.0.1 with Access:TrustLoopback=false.</summary>
        UntrustedLoopback,

        /// <summary>Identity "alice" (in no group).</summary>
        Alice,

        /// <summary>Identity "root", in the group "admin".</summary>
        Admin,
    }

    /// <summary>
    /// Each row: a request and what each requester gets, in the order of <see cref="Who"/>. 2.05 and the like where the
    /// policy lets the request through; the terminal's GET of a session nobody started is the module's own 4.04.
    /// </summary>
    private static readonly (string Request, string[] Expected)[] Table =
    [
        //                  Anonymous Loopback  Untrusted  Alice   Admin
        ("time GET",       ["2.05",  "2.05",   "2.05",   "2.05", "2.05"]),
        ("time Observe",   ["2.05",  "2.05",   "2.05",   "2.05", "2.05"]),
        ("files GET",      ["2.05",  "2.05",   "2.05",   "2.05", "2.05"]),
        ("files PUT",      ["4.01",  "2.01",   "4.01",   "2.01", "2.01"]),
        ("files DELETE",   ["4.01",  "4.03",   "4.01",   "4.03", "2.02"]),
        ("ps GET",         ["2.05",  "2.05",   "2.05",   "2.05", "2.05"]),
        ("ps POST",        ["4.01",  "2.01",   "4.01",   "2.01", "2.01"]),
        ("ps publish",     ["4.01",  "2.01",   "4.01",   "2.01", "2.01"]),
        ("ps data GET",    ["2.05",  "2.05",   "2.05",   "2.05", "2.05"]),
        ("ps iPATCH",      ["4.01",  "4.03",   "4.01",   "4.03", "2.04"]),
        ("ps DELETE",      ["4.01",  "4.03",   "4.01",   "4.03", "2.02"]),
        ("dns FETCH",      ["2.05",  "2.05",   "2.05",   "2.05", "2.05"]),
        ("dns POST",       ["2.05",  "2.05",   "2.05",   "2.05", "2.05"]),
        ("term POST",      ["4.01",  "2.01",   "4.01",   "4.03", "2.01"]),
        ("term GET",       ["4.01",  "4.04",   "4.01",   "4.03", "4.04"]),
    ];

    public static TheoryData<string, Who, string> Cases()
    {
        var data = new TheoryData<string, Who, string>();
        foreach (var (request, expected) in Table)
        {
            foreach (var who in Enum.GetValues<Who>())
            {
                data.Add(request, who, expected[(int)who]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_requester_gets_what_the_policy_says(string request, Who who, string expected)
    {
        await using var server = new AccessServer(Settings(who));
        var from = who switch
        {
            Who.Anonymous => AccessServer.Outsider,
            Who.Loopback or Who.UntrustedLoopback => AccessServer.Local,
            Who.Alice => AccessServer.AliceAt,
            _ => AccessServer.RootAt,
        };
        var message = await Build(server, request);

        var answer = await server.SendAsync(from, message);

        Assert.Equal(expected, answer.Code.ToString());
        Assert.False(answer.Options.Contains(OptionNumber.Echo));
        if (request == "time Observe")
        {
            Assert.NotNull(answer.Observe);
        }
    }

    /// <summary>The same request for every requester; topics it needs are created by root (over another address).</summary>
    private static async Task<CoapMessage> Build(AccessServer server, string request)
    {
        var root = new IPEndPoint(AccessServer.RootAt.Address, AccessServer.RootAt.Port + 100);
        server.Server.Transport.Authenticate(root, "root");
        switch (request)
        {
            case "time GET":
                return AccessServer.Request(CoapCode.Get, "time");
            case "time Observe":
                var observe = AccessServer.Request(CoapCode.Get, "time");
                observe.Observe = 0;
                return observe;
            case "files GET":
                return AccessServer.Request(CoapCode.Get, "files/readme.txt");
            case "files PUT":
                return AccessServer.Request(CoapCode.Put, "files/new.txt", "new"u8.ToArray(), ContentFormat.TextPlain);
            case "files DELETE":
                return AccessServer.Request(CoapCode.Delete, "files/readme.txt");
            case "ps GET":
                return AccessServer.Request(CoapCode.Get, "ps");
            case "ps POST":
                return AccessServer.Request(CoapCode.Post, "ps", TopicMaps.Named("new"), 606);
            case "ps publish":
                var (_, data) = await server.CreateTopicAsync(root, "rooms");
                return AccessServer.Request(CoapCode.Put, data, "21"u8.ToArray(), ContentFormat.TextPlain);
            case "ps data GET":
                var (_, published) = await server.CreateTopicAsync(root, "rooms");
                Assert.Equal(CoapCode.Created, (await server.SendAsync(root, AccessServer.Request(CoapCode.Put, published, "21"u8.ToArray(), ContentFormat.TextPlain))).Code);
                return AccessServer.Request(CoapCode.Get, published);
            case "ps iPATCH":
                var (patched, _) = await server.CreateTopicAsync(root, "rooms");
                return AccessServer.Request(CoapCode.IPatch, patched, Patch(), 606);
            case "ps DELETE":
                var (deleted, _) = await server.CreateTopicAsync(root, "rooms");
                return AccessServer.Request(CoapCode.Delete, deleted);
            case "dns FETCH":
                return AccessServer.Request(CoapCode.Fetch, "dns", AccessServer.DnsQuery(), ContentFormat.DnsMessage);
            case "dns POST":
                return AccessServer.Request(CoapCode.Post, "dns", AccessServer.DnsQuery(), ContentFormat.DnsMessage);
            case "term POST":
                return AccessServer.Request(CoapCode.Post, "term/");
            case "term GET":
                return AccessServer.Request(CoapCode.Get, "term/0123456789abcdef0123456789abcdef/status");
            default:
                throw new ArgumentException($"no request '{request}'", nameof(request));
        }
    }

    /// <summary>An iPATCH that sets topic-type (key 4).</summary>
    private static byte[] Patch()
    {
        var writer = new System.Formats.Cbor.CborWriter();
        writer.WriteStartMap(1);
        writer.WriteInt32(4);
        writer.WriteTextString("temperature");
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static Dictionary<string, string?> Settings(Who who) => new()
    {
        ["Access:TrustLoopback"] = who == Who.UntrustedLoopback ? "false" : "true",
        ["Access:Rules:term:Write"] = "@admin loopback",
        ["Access:Rules:files:DELETE"] = "@admin",
    };
}
