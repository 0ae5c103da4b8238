using System.Collections.Concurrent;
using Coap.Engine.Blockwise;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Win32.SafeHandles;
using Services.FileServer.FileSystem;

namespace Services.FileServer;

/// <summary>GET: a file's bytes by block from its offset, a directory's listing; ETag validation (RFC 7252 §5.10.6.2).</summary>
internal sealed partial class FileResource
{
    private const int MaxCachedListings = 64;

    /// <summary>
    /// The listing each directory was last rendered with, for the later blocks of a block-wise listing while the
    /// directory's own status is unchanged: block 0 always reads the directory afresh.
    /// </summary>
    private readonly ConcurrentDictionary<string, (FileStat Directory, DirectoryListing Listing)> _listings = new(StringComparer.Ordinal);

    private CoapMessage Get(CoapRequestContext context)
    {
        if (context.Request.Observe == 0)
        {
            _changes.EnsureWatching();
        }

        if (context.BlockSetState is BlockSetFile held)
        {
            // A later block of a Q-Block2 set: the same request as the set's first block but for its Block2 option.
            return GetFile(context, held.File.Handle, held.File.Stat, held.File.Tag, held.Format, held);
        }

        if (!TryPath(context, out var path, out var refusal))
        {
            return refusal;
        }

        var key = path.IsDirectory ? null : string.Join('/', path.Names);
        if (key is not null && _openFiles.TryRent(key, out var lease))
        {
            var format = FileContentFormats.For(path.Name);
            if (context.InBlockSet)
            {
                // The rest of the Q-Block2 set reads from this file with this status, without a path or a statx each.
                var set = new BlockSetFile(lease, format);
                context.BlockSetState = set;
                return GetFile(context, lease.File.Handle, lease.File.Stat, lease.File.Tag, format, set);
            }

            using (lease)
            {
                return GetFile(context, lease.File.Handle, lease.File.Stat, lease.File.Tag, format);
            }
        }

        var target = Root.Resolve(path.Names);
        if (Unservable(target, path) is { } answer)
        {
            return answer;
        }

        return target.IsDirectory ? GetDirectory(context, target) : OpenAndGetFile(context, target, key!, path.Name);
    }

    /// <summary>
    /// Opens the file and serves from it; the handle stays open in <see cref="_openFiles"/> for the next blocks unless a
    /// link led to it: the file itself, or a directory on the way (then its real entry is not the root joined with the key).
    /// </summary>
    private CoapMessage OpenAndGetFile(CoapRequestContext context, ResolvedPath target, string key, string name)
    {
        var handle = File.OpenHandle(target.Real, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (!Native.TryStat(handle, out var stat) || stat.Kind != FileKind.File)
        {
            handle.Dispose();
            return Diagnostic(CoapCode.Forbidden, "not a regular file or directory");
        }

        var tag = stat.EntityTag();
        if (target.IsLink || !string.Equals(target.Entry, Path.Join(Root.Path, key), StringComparison.Ordinal))
        {
            using (handle)
            {
                return GetFile(context, handle, stat, tag, FileContentFormats.For(name));
            }
        }

        var added = false;
        handle.DangerousAddRef(ref added);
        _openFiles.Add(key, target.Entry, handle, stat, tag);
        try
        {
            return GetFile(context, handle, stat, tag, FileContentFormats.For(name));
        }
        finally
        {
            handle.DangerousRelease();
        }
    }

    /// <summary>
    /// The requested block of an open file whose status was taken from the handle, so size and ETag belong to the bytes
    /// read; read through <paramref name="set"/> for a block of a Q-Block2 set.
    /// </summary>
    private static CoapMessage GetFile(CoapRequestContext context, SafeFileHandle handle, FileStat stat, byte[] tag, int format, BlockSetFile? set = null)
    {
        var request = context.Request;
        if (request.Accept is { } accept && accept != format)
        {
            return Diagnostic(CoapCode.NotAcceptable, $"the file is Content-Format {format}");
        }

        if (Preconditions.Validates(request, tag))
        {
            return WithTag(CoapMessage.CreateResponse(CoapCode.Valid), tag);
        }

        var block = BlockwiseResponse.RequestedBlock(context);
        var length = (int)Math.Clamp(stat.Size - block.Offset, 0, block.Size);
        if (set is not null)
        {
            return Block(request, set.Read(block.Offset, length), block, stat.Size, format, tag);
        }

        var buffer = new byte[length];
        var read = FileReads.ReadFully(handle, buffer, block.Offset);
        return Block(request, buffer.AsMemory(0, read), block, stat.Size, format, tag);
    }

    private CoapMessage GetDirectory(CoapRequestContext context, ResolvedPath target)
    {
        var request = context.Request;
        var format = request.Accept ?? ContentFormat.LinkFormat;
        if (format is not ContentFormat.LinkFormat and not ContentFormat.Cbor)
        {
            return Diagnostic(CoapCode.NotAcceptable, "a directory is listed as application/link-format (40) or application/cbor (60)");
        }

        var block = BlockwiseResponse.RequestedBlock(context);
        var listing = Listing(target, format, fresh: block.Number == 0);
        if (Preconditions.Validates(request, listing.Tag))
        {
            return WithTag(CoapMessage.CreateResponse(CoapCode.Valid), listing.Tag);
        }

        var length = listing.Payload.Length;
        var start = (int)Math.Min(block.Offset, length);
        var slice = listing.Payload.AsMemory(start, Math.Min(length - start, block.Size));
        return Block(request, slice, block, length, format, listing.Tag);
    }

    private DirectoryListing Listing(ResolvedPath target, int format, bool fresh)
    {
        var key = format == ContentFormat.Cbor ? target.Real + "\0cbor" : target.Real;
        if (!fresh && _listings.TryGetValue(key, out var cached) && cached.Directory == target.Stat)
        {
            return cached.Listing;
        }

        var listing = DirectoryListing.Read(Root, target.Real, format == ContentFormat.Cbor);
        if (_listings.Count >= MaxCachedListings)
        {
            _listings.Clear();
        }

        _listings[key] = (target.Stat, listing);
        return listing;
    }

    /// <summary>
    /// A representation that fits one block goes whole when the request did not ask for a block; otherwise the block
    /// with Block2 and, on block 0, Size2 (RFC 7959 §2.2, §4). The ETag is on every block (§2.4).
    /// </summary>
    private static CoapMessage Block(CoapMessage request, ReadOnlyMemory<byte> bytes, BlockValue block, long total, int format, byte[] tag)
    {
        var response = !request.Options.Contains(OptionNumber.Block2) && total <= block.Size
            ? CoapMessage.CreateResponse(CoapCode.Content, bytes, format)
            : BlockwiseResponse.Create(CoapCode.Content, bytes, block, total, format);
        return response.Code == CoapCode.Content ? WithTag(response, tag) : response;
    }
}
