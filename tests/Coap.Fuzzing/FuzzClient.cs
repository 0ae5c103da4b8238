using Coap.Engine.Codec;
using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// A seeded, structure-aware CoAP fuzzer playing one or more client endpoints ("peers") against one server. The driver
/// sends what <see cref="Next"/> gives and hands every datagram the server sends to <see cref="Receive"/>, which checks
/// it (<see cref="Findings"/>) and returns the ACK or RST the peer sends back. A datagram is a valid request to any
/// resource (<see cref="RequestFactory"/>), one damaged at the option level (<see cref="MessageMutator"/>) or the byte
/// level (<see cref="ByteMutator"/>), garbage, an empty message, or the next step of a stateful scenario (uploads left
/// unfinished or whose directory is deleted, message ID and token reuse, Observe storms, topic lifecycles, block-wise
/// downloads). Scenario steps are made when they are due, so they see the answers to the steps before them.
/// </summary>
public sealed class FuzzClient
{
    private const int MaxScenarios = 4;
    private const int MaxAnswers = 4096;

    /// <summary>How many of its last tokens the fuzzer does not draw again (fewer than the 256 one-byte tokens).</summary>
    private const int RecentTokens = 128;

    private readonly Peer[] _peers;
    private readonly List<IEnumerator<FuzzStep>> _scenarios = [];
    private readonly Dictionary<(int Peer, CoapToken Token), CoapMessage> _answers = [];
    private readonly HashSet<CoapToken> _recentTokens = [];
    private readonly Queue<CoapToken> _recentTokenOrder = new();

    /// <summary>
    /// Draws for the ACKs and RSTs, apart from <see cref="Random"/>: notifications arrive when threads let them, and
    /// must not shift the datagrams.
    /// </summary>
    private readonly Random _replies;
    private long _index;

    /// <param name="seed">Replays a run: the same seed gives the same datagrams, given the same answers.</param>
    /// <param name="peers">How many client endpoints the datagrams come from.</param>
    /// <param name="now">The server's clock, for expiration dates in topic configurations.</param>
    public FuzzClient(int seed, int peers, Func<DateTimeOffset> now)
    {
        Random = new Random(seed);
        _replies = new Random(~seed);
        Model = new ServerModel();
        Requests = new RequestFactory(Random, Model, now);
        _peers = [.. Enumerable.Range(0, peers).Select(_ => new Peer(Findings, (ushort)Random.Next(65536)))];
    }

    public Findings Findings { get; } = new();

    public Coverage Coverage { get; } = new();

    /// <summary>How many datagrams <see cref="Next"/> has given.</summary>
    public long Sent => _index;

    /// <summary>CONs the peers sent that have had neither ACK nor RST yet.</summary>
    public int Awaiting => _peers.Sum(p => p.Ledger.AwaitingCount);

    internal Random Random { get; }

    internal ServerModel Model { get; }

    internal RequestFactory Requests { get; }

    public FuzzDatagram Next()
    {
        var pause = Random.Chance(0.02) ? TimeSpan.FromMilliseconds(Random.Next(100, 3500)) : TimeSpan.Zero;
        var step = NextStep();
        _index++;
        _peers[step.Peer].Sent(_index, step.Datagram);
        return new FuzzDatagram(step.Peer, step.Datagram, pause + step.Pause);
    }

    /// <summary>
    /// Checks a datagram the server sent to <paramref name="peer"/>; returns the ACK or RST to send back, if any.
    /// </summary>
    public byte[]? Receive(int peer, ReadOnlyMemory<byte> datagram)
    {
        var (message, request) = _peers[peer].Ledger.OnReceived(datagram);
        if (message is null)
        {
            return null;
        }

        if (request is not null)
        {
            Coverage.Count(request, message);
            Model.Learn(request, message);
            if (_answers.Count >= MaxAnswers)
            {
                _answers.Clear();
            }

            _answers[(peer, message.Token)] = message;
        }

        if (message.Type is not (CoapMessageType.Confirmable or CoapMessageType.NonConfirmable))
        {
            return null;
        }

        // A notification nobody waits for is reset (RFC 7641 §3.6); now and then the peer loses interest in one it wanted.
        var observing = _peers[peer].Observing;
        var unwanted = message.Observe is not null && (!observing.Contains(message.Token) || _replies.Chance(0.04));
        if (unwanted)
        {
            observing.Remove(message.Token);
        }

        return message.Type == CoapMessageType.Confirmable
            ? _replies.Chance(0.03) ? null : Empty(unwanted || _replies.Chance(0.03) ? CoapMessageType.Reset : CoapMessageType.Acknowledgement, message.MessageId)
            : unwanted && _replies.Chance(0.7) ? Empty(CoapMessageType.Reset, message.MessageId) : null;
    }

    /// <summary>
    /// Adds a finding for every CON still unanswered; call once the server has had time to answer everything.
    /// </summary>
    public void ReportUnanswered()
    {
        foreach (var peer in _peers)
        {
            peer.Ledger.ReportUnanswered();
        }
    }

    /// <summary>
    /// The last answer peer <paramref name="peer"/> got for <paramref name="token"/>, for scenarios that adapt.
    /// </summary>
    internal CoapMessage? AnswerTo(int peer, CoapToken token) => _answers.GetValueOrDefault((peer, token));

    internal int AnyPeer() => Random.Next(_peers.Length);

    /// <summary>
    /// A token no recent request of the fuzzer used, as a client keeps its concurrent requests apart (RFC 7252 §5.3.1);
    /// one in twenty is empty, which real clients send too. Reuse on purpose is the scenarios' business.
    /// </summary>
    internal CoapToken NewToken()
    {
        if (Random.Chance(0.05))
        {
            return CoapToken.Empty;
        }

        CoapToken token;
        do
        {
            token = CoapToken.FromSpan(Random.Bytes(Random.Next(1, 9)));
        }
        while (!_recentTokens.Add(token));

        _recentTokenOrder.Enqueue(token);
        if (_recentTokenOrder.Count > RecentTokens)
        {
            _recentTokens.Remove(_recentTokenOrder.Dequeue());
        }

        return token;
    }

    internal ushort NextMessageId(int peer) => _peers[peer].NextMessageId();

    /// <summary>
    /// Gives a request its type (CON three times in four unless given), a fresh message ID and a fresh token unless
    /// given.
    /// </summary>
    internal CoapMessage Prepare(int peer, CoapMessage request, CoapMessageType? type = null, CoapToken? token = null, ushort? messageId = null)
    {
        request.Type = type ?? (Random.Chance(0.75) ? CoapMessageType.Confirmable : CoapMessageType.NonConfirmable);
        request.MessageId = messageId ?? NextMessageId(peer);
        request.Token = token ?? NewToken();
        return request;
    }

    internal static FuzzStep Step(int peer, CoapMessage message, TimeSpan pause = default) => new(peer, CoapMessageWriter.ToArray(message), pause);

    private FuzzStep NextStep()
    {
        while (_scenarios.Count > 0 && (_scenarios.Count >= MaxScenarios || Random.Chance(0.6)))
        {
            var scenario = Random.Pick(_scenarios);
            if (scenario.MoveNext())
            {
                return scenario.Current;
            }

            scenario.Dispose();
            _scenarios.Remove(scenario);
        }

        var peer = AnyPeer();
        switch (Random.Next(100))
        {
            case < 40:
                return Step(peer, Prepare(peer, Requests.Any()));
            case < 58:
                return Step(peer, MessageMutator.Mutate(Random, Prepare(peer, Requests.Any())));
            case < 68:
                return new FuzzStep(peer, ByteMutator.MutateDatagram(Random, CoapMessageWriter.ToArray(Prepare(peer, Requests.Any()))));
            case < 70:
                return new FuzzStep(peer, Random.Bytes(Random.Next(31)));
            case < 72:
                return Step(peer, CoapMessage.CreateEmpty((CoapMessageType)Random.Next(4), Random.Chance(0.5) ? NextMessageId(peer) : (ushort)Random.Next(65536)));
            default:
                _scenarios.Add(Scenarios.Start(this).GetEnumerator());
                return NextStep();
        }
    }

    private static byte[] Empty(CoapMessageType type, ushort messageId) => CoapMessageWriter.ToArray(CoapMessage.CreateEmpty(type, messageId));

    /// <summary>One client endpoint: its message IDs, its ledger, the tokens it currently observes with.</summary>
    private sealed class Peer(Findings findings, ushort firstMessageId)
    {
        private ushort _messageId = firstMessageId;

        public ExchangeLedger Ledger { get; } = new(findings);

        public HashSet<CoapToken> Observing { get; } = [];

        public ushort NextMessageId() => _messageId++;

        public void Sent(long index, byte[] datagram)
        {
            Ledger.OnSent(index, datagram);
            if (CoapMessageReader.TryRead(datagram, out var message) == CoapDecodeError.None && message!.IsRequest)
            {
                if (message.Observe == 0)
                {
                    Observing.Add(message.Token);
                }
                else if (message.Observe == 1)
                {
                    Observing.Remove(message.Token);
                }
            }
        }
    }
}
