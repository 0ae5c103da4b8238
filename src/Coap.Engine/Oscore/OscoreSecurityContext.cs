using System.Security.Cryptography;

namespace Coap.Engine.Oscore;

/// <summary>
/// One OSCORE security context (RFC 8613 §3): the derived keys and Common IV, the Sender Sequence Number and the
/// replay window, persisted through an <see cref="IOscoreStateStore"/> as §B.1.1 says: before a number at or past the
/// persisted bound is used, the bound moves <see cref="SequenceStep"/> ahead and is saved (fsync), so a restart from
/// the saved state never reuses a nonce. Protect/unprotect are thread-safe; they block on that save once per
/// <see cref="SequenceStep"/> numbers and on the first request after loading a known window, so call them from a
/// handler or background work, never on a receive thread.
/// </summary>
public sealed partial class OscoreSecurityContext : IDisposable
{
    public const int DefaultSequenceStep = 256;

    private readonly Lock _lock = new();
    private readonly AesCcm _sender;
    private readonly AesCcm _recipient;
    private readonly OscoreReplayWindow _window;
    private readonly IOscoreStateStore? _store;
    private long _nextSequenceNumber;
    private long _persistedBound;

    /// <summary>True while the stored window matches memory; after the first change the store says "unknown" (as aiocoap does).</summary>
    private bool _windowPersisted;

    public OscoreSecurityContext(OscoreContextParameters parameters, OscoreSequenceState? state = null, IOscoreStateStore? store = null, int sequenceStep = DefaultSequenceStep)
    {
        if (parameters.Validate() is { } problem)
        {
            throw new ArgumentException($"OSCORE context: {problem}.", nameof(parameters));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceStep, 1);
        SenderId = parameters.SenderId;
        RecipientId = parameters.RecipientId;
        IdContext = parameters.IdContext;
        var salt = parameters.MasterSalt ?? [];
        SenderKey = OscoreKeyDerivation.DeriveKey(parameters.MasterSecret, salt, SenderId, IdContext);
        RecipientKey = OscoreKeyDerivation.DeriveKey(parameters.MasterSecret, salt, RecipientId, IdContext);
        CommonIv = OscoreKeyDerivation.DeriveCommonIv(parameters.MasterSecret, salt, IdContext);
        _sender = new AesCcm(SenderKey);
        _recipient = new AesCcm(RecipientKey);
        _store = store;
        SequenceStep = sequenceStep;
        _window = new OscoreReplayWindow(parameters.ReplayWindowSize);
        if (state is null)
        {
            _window.InitializeEmpty();
            _windowPersisted = true;
        }
        else
        {
            ArgumentOutOfRangeException.ThrowIfNegative(state.NextToSend, nameof(state));
            _nextSequenceNumber = state.NextToSend;
            if (state.Received is { } received)
            {
                _window.Initialize(received.Index, received.Bitfield);
                _windowPersisted = true;
            }
        }

        _persistedBound = _nextSequenceNumber;
        EchoRecoveryValue = RandomNumberGenerator.GetBytes(8);
    }

    public byte[] SenderId { get; }

    public byte[] RecipientId { get; }

    public byte[]? IdContext { get; }

    public int SequenceStep { get; }

    /// <summary>The Echo value a restarted server asks for before it trusts a Partial IV again (§B.1.2).</summary>
    public ReadOnlyMemory<byte> EchoRecoveryValue { get; }

    /// <summary>False after loading a state whose window is "unknown": requests go through the Echo recovery.</summary>
    public bool ReplayWindowKnown
    {
        get
        {
            lock (_lock)
            {
                return _window.IsInitialized;
            }
        }
    }

    internal byte[] SenderKey { get; }

    internal byte[] RecipientKey { get; }

    internal byte[] CommonIv { get; }

    /// <summary>The exact state, for a clean shutdown: the next number and the window as they are now.</summary>
    public OscoreSequenceState Snapshot()
    {
        lock (_lock)
        {
            return new OscoreSequenceState(_nextSequenceNumber, WindowState());
        }
    }

    /// <summary>Writes the exact state (a clean shutdown: nothing wasted, no Echo round trip after restarting).</summary>
    public void SaveExactState()
    {
        lock (_lock)
        {
            _persistedBound = _nextSequenceNumber;
            _windowPersisted = _window.IsInitialized;
            _store?.Save(new OscoreSequenceState(_nextSequenceNumber, WindowState()));
        }
    }

    public void Dispose()
    {
        _sender.Dispose();
        _recipient.Dispose();
    }

    /// <summary>Takes the next Sender Sequence Number, saving a new bound first when needed; -1 when none is left.</summary>
    internal long TakeSequenceNumber()
    {
        lock (_lock)
        {
            var number = _nextSequenceNumber;
            if (number > OscoreAlgorithm.MaxSequenceNumber)
            {
                return -1;
            }

            if (number >= _persistedBound)
            {
                var bound = Math.Min(number + SequenceStep, OscoreAlgorithm.MaxSequenceNumber + 1);
                if (!TrySave(new OscoreSequenceState(bound, _windowPersisted ? WindowState() : null)))
                {
                    return -1;
                }

                _persistedBound = bound;
            }

            _nextSequenceNumber = number + 1;
            return number;
        }
    }

    /// <summary>Saves under the lock; false when the store failed (the caller then uses no number beyond the old bound).</summary>
    private bool TrySave(OscoreSequenceState state)
    {
        try
        {
            _store?.Save(state);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private OscoreWindowState? WindowState() =>
        _window.IsInitialized ? new OscoreWindowState(_window.Index, _window.Bitfield) : null;

    private void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertextAndTag, ReadOnlySpan<byte> aad)
    {
        lock (_sender)
        {
            _sender.Encrypt(nonce, plaintext, ciphertextAndTag[..plaintext.Length], ciphertextAndTag[plaintext.Length..], aad);
        }
    }

    private bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        var split = ciphertextAndTag.Length - OscoreAlgorithm.TagLength;
        try
        {
            lock (_recipient)
            {
                _recipient.Decrypt(nonce, ciphertextAndTag[..split], ciphertextAndTag[split..], plaintext, aad);
            }

            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
