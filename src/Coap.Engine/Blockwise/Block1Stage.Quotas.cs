using System.Runtime.InteropServices;
using System.Text;
using Coap.Engine.Messaging;
using Coap.Engine.Protocol;

namespace Coap.Engine.Blockwise;

/// <summary>
/// What unfinished Block1 uploads may hold. An assembled upload counts its buffer's capacity (buffers double) against
/// Coap:MaxPendingUploadBytes and its peer's share, Coap:MaxPendingUploadBytesPerPeer. A streamed upload counts
/// <see cref="StreamedUploadBytes"/> against the same two and one open file against Coap:MaxOpenUploads and
/// Coap:MaxOpenUploadsPerPeer, from before its sink is opened until the sink is committed or aborted. A block that
/// would exceed a limit is refused with 5.03 and Max-Age <see cref="RetryAfterSeconds"/> (RFC 7252 §5.9.3.4), keeping
/// the upload so the client can send the same block again once space frees up: refusing a newcomer beats evicting a
/// nearly finished upload, and the share per peer keeps one peer from refusing everybody else.
/// </summary>
internal sealed partial class Block1Stage
{
    /// <summary>Max-Age of the 5.03 answered when unfinished uploads are at a limit.</summary>
    internal const uint RetryAfterSeconds = 10;

    /// <summary>What a streamed upload counts against the byte limits: its state and its sink's, not its body (on disk).</summary>
    internal const long StreamedUploadBytes = 1024;

    private readonly long _maxPending;
    private readonly long _maxPendingPerPeer;
    private readonly int _maxOpen;
    private readonly int _maxOpenPerPeer;
    private readonly Dictionary<CoapPeer, Share> _shares = [];
    private long _pendingBytes;
    private int _openUploads;

    /// <summary>The bytes unfinished uploads count against Coap:MaxPendingUploadBytes.</summary>
    internal long PendingBytes
    {
        get
        {
            lock (_gate)
            {
                return _pendingBytes;
            }
        }
    }

    /// <summary>The streamed uploads whose sink is open.</summary>
    internal int OpenUploads
    {
        get
        {
            lock (_gate)
            {
                return _openUploads;
            }
        }
    }

    /// <summary>The unfinished uploads.</summary>
    internal int PendingUploads
    {
        get
        {
            lock (_gate)
            {
                return _uploads.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="bytes"/> more (and one more open file) fit the limits and the peer's share.</summary>
    private bool FitsLocked(CoapPeer peer, long bytes, bool file)
    {
        var share = _shares.GetValueOrDefault(peer);
        return _pendingBytes + bytes <= _maxPending && share.Bytes + bytes <= _maxPendingPerPeer
            && (!file || (_openUploads < _maxOpen && share.Files < _maxOpenPerPeer));
    }

    private void ChargeLocked(PendingUpload upload, long bytes, bool file)
    {
        upload.ChargedBytes += bytes;
        upload.ChargedFile |= file;
        Adjust(upload.Key.Peer, bytes, file ? 1 : 0);
    }

    /// <summary>Gives back what the upload counts against the limits; a second call gives back nothing.</summary>
    private void ReleaseLocked(PendingUpload upload)
    {
        Adjust(upload.Key.Peer, -upload.ChargedBytes, upload.ChargedFile ? -1 : 0);
        upload.ChargedBytes = 0;
        upload.ChargedFile = false;
    }

    private void Release(PendingUpload upload)
    {
        lock (_gate)
        {
            ReleaseLocked(upload);
        }
    }

    private void Adjust(CoapPeer peer, long bytes, int files)
    {
        if (bytes == 0 && files == 0)
        {
            return;
        }

        _pendingBytes += bytes;
        _openUploads += files;
        ref var share = ref CollectionsMarshal.GetValueRefOrAddDefault(_shares, peer, out _);
        share = new Share(share.Bytes + bytes, share.Files + files);
        if (share is { Bytes: 0, Files: 0 })
        {
            _shares.Remove(peer);
        }
    }

    private static CoapMessage Busy()
    {
        var refusal = CoapMessage.CreateResponse(CoapCode.ServiceUnavailable, Encoding.UTF8.GetBytes("too many unfinished uploads; retry later"));
        refusal.MaxAge = RetryAfterSeconds;
        return refusal;
    }

    /// <summary>What one peer's unfinished uploads count.</summary>
    private readonly record struct Share(long Bytes, int Files);
}
