using System.Formats.Cbor;
using System.Text;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Options;
using Services.Terminal.Sessions;

namespace Services.Terminal;

/// <summary>
/// The terminal service, one resource for everything below the mount ("term/{**path}"): POST to the mount starts a
/// session; "{id}/" is the session (DELETE hangs it up), "{id}/out" its output (GET, FETCH, observable), "{id}/in"
/// its input (POST), "{id}/size" its window size (PUT) and "{id}/status" whether it runs and how it ended (GET).
/// Each session's output keeps observers of its own (<see cref="ObserversOf"/>); nothing else is observable. Peers not on loopback or in
/// <see cref="TerminalOptions.AllowedPeers"/> get 4.01 for every request and nothing runs for them; a session answers
/// only its <see cref="SessionOwner"/> (4.03 for anyone else). The engine's access policy comes first: the resource is
/// <see cref="ResourceMetadata.Private"/>, so by default only identities and trusted loopback peers reach it.
/// </summary>
internal sealed partial class TerminalResource : CoapResource, IObservableRoute
{
    /// <summary>Seconds a client should wait before retrying when the input queue or the session table is full.</summary>
    private const uint RetryAfterSeconds = 1;

    private readonly TerminalSessions _sessions;
    private readonly PeerGate _gate;
    private readonly string[] _mount;

    public TerminalResource(IOptions<TerminalOptions> options, TerminalSessions sessions)
    {
        _sessions = sessions;
        _gate = new PeerGate(options.Value.AllowedPeers);
        _mount = options.Value.Path.Trim('/').Split('/');
    }

    public ResourceMetadata Metadata => new()
    {
        ResourceTypes = ["core.term"],
        ContentFormats = [ContentFormat.CborSeq, ContentFormat.Cbor],
        AcceptedContentFormats = [ContentFormat.TextPlain, ContentFormat.OctetStream, ContentFormat.Cbor, ContentFormat.CborSeq],
        Title = "Terminal sessions",
        Observable = true,

        // A POST starts a process and is answered with a Location longer than three times the request: a peer that
        // has not shown it receives at its address verifies first, so the engine never withholds that answer after
        // the process started, and a repetition never starts a second one (RFC 9175 §2.4).
        ChangesNeedVerifiedPeer = true,

        // A shell: reading its output needs what starting it needs (by default an identity or a trusted loopback
        // peer), and /.well-known/core shows it only to those.
        Private = true,
    };

    /// <summary>A session's output has its own observers; a registration on anything else is answered without Observe.</summary>
    public ResourceObservers? ObserversOf(CoapRequestContext context) =>
        Target.Parse(context) is { Part: SessionPart.Out } target && _sessions.Find(target.Id) is { } session
            && session.Owner == SessionOwner.Of(context) ? session.Observers : null;

    protected override ValueTask<CoapMessage> OnPost(CoapRequestContext context) => Dispatch(context);

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context) => Dispatch(context);

    protected override ValueTask<CoapMessage> OnFetch(CoapRequestContext context) => Dispatch(context);

    protected override ValueTask<CoapMessage> OnPut(CoapRequestContext context) => Dispatch(context);

    protected override ValueTask<CoapMessage> OnDelete(CoapRequestContext context) => Dispatch(context);

    private ValueTask<CoapMessage> Dispatch(CoapRequestContext context)
    {
        if (!_gate.Allows(context.RemoteEndPoint.Address))
        {
            return Answer(Diagnostic(CoapCode.Unauthorized, "this peer may not use the terminal"));
        }

        var target = Target.Parse(context);
        var method = context.Request.Code;
        var owner = SessionOwner.Of(context);
        if (target.Part == SessionPart.Collection)
        {
            return Answer(method == CoapCode.Post ? StartSession(owner) : MethodNotAllowed());
        }

        if (target.Part == SessionPart.Unknown || _sessions.Find(target.Id) is not { } session)
        {
            return Answer(Diagnostic(CoapCode.NotFound, "no such terminal session"));
        }

        if (session.Owner != owner)
        {
            return Answer(Diagnostic(CoapCode.Forbidden, "this session belongs to another identity"));
        }

        session.Touch();
        return (target.Part, method.Value) switch
        {
            (SessionPart.Session, 4) => DeleteAsync(session),
            (SessionPart.Out, 1) => Answer(GetOutput(context, session)),
            (SessionPart.Out, 5) => Answer(FetchOutput(context, session)),
            (SessionPart.In, 2) => Answer(PostInput(context, session)),
            (SessionPart.Size, 3) => Answer(PutSize(context, session)),
            (SessionPart.Status, 1) => Answer(GetStatus(session)),
            _ => Answer(MethodNotAllowed()),
        };
    }

    private CoapMessage StartSession(SessionOwner owner)
    {
        TerminalSession? session;
        try
        {
            session = _sessions.Start(owner);
        }
        catch (IOException error)
        {
            return Diagnostic(CoapCode.InternalServerError, "the terminal program could not be started: " + error.Message);
        }

        if (session is null)
        {
            var busy = Diagnostic(CoapCode.ServiceUnavailable, "too many terminal sessions");
            busy.MaxAge = RetryAfterSeconds;
            return busy;
        }

        var created = CoapMessage.CreateResponse(CoapCode.Created);
        created.SetLocationPathSegments([.. _mount, session.Id, string.Empty]);

        return created;
    }

    private async ValueTask<CoapMessage> DeleteAsync(TerminalSession session)
    {
        await _sessions.RemoveAsync(session, "deleted").ConfigureAwait(false);
        return CoapMessage.CreateResponse(CoapCode.Deleted);
    }

    private static CoapMessage GetStatus(TerminalSession session)
    {
        var exit = session.Exit;
        var writer = new CborWriter();
        writer.WriteStartMap(exit is null ? 2 : 3);
        writer.WriteTextString("running");
        writer.WriteBoolean(exit is null);
        writer.WriteTextString("pid");
        writer.WriteInt32(session.ProcessId);
        if (exit is { } status)
        {
            writer.WriteTextString("exit");
            writer.WriteInt32(status);
        }

        writer.WriteEndMap();
        return CoapMessage.CreateResponse(CoapCode.Content, writer.Encode(), ContentFormat.Cbor);
    }

    private static ValueTask<CoapMessage> Answer(CoapMessage response) => ValueTask.FromResult(response);

    private static CoapMessage MethodNotAllowed() => CoapMessage.CreateResponse(CoapCode.MethodNotAllowed);

    private static CoapMessage Diagnostic(CoapCode code, string text) => CoapMessage.CreateResponse(code, Encoding.UTF8.GetBytes(text));

    /// <summary>A small CBOR unsigned integer (an offset) as a payload, for 2.04, 4.04 and 4.09 answers.</summary>
    private static CoapMessage WithOffset(CoapCode code, long offset)
    {
        var writer = new CborWriter();
        writer.WriteUInt64((ulong)offset);
        return CoapMessage.CreateResponse(code, writer.Encode(), ContentFormat.Cbor);
    }
}
