using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Services.FileServer.Client;

/// <summary>
/// A client of a CoAP file service (a WebDAV-like tree: directories are URIs with a trailing slash, files without;
/// a directory's GET is an RFC 6690 link-format listing). Every method is one or a few requests over the given
/// <see cref="CoapClient"/>, so the client's timeout, CON/NON choice and block size apply. An error response becomes a
/// <see cref="CoapFileException"/>; no response a <see cref="CoapException"/>.
/// </summary>
public sealed partial class CoapFileClient
{
    private readonly ConcurrentDictionary<(string Host, int Port), IPEndPoint> _addresses = new();

    public CoapFileClient(CoapClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
    }

    /// <summary>The CoAP client every request goes through.</summary>
    public CoapClient Client { get; }

    /// <summary>
    /// Where a request for a URI goes, given the request (its Uri-Path and Uri-Query set from the URI) and the URI:
    /// null sends it to the URI's host; a forward proxy (RFC 7252 §5.7) moves the target into Proxy-Uri and returns
    /// the proxy's URI.
    /// </summary>
    public Func<CoapMessage, CoapUri, CoapUri>? Route { get; init; }

    /// <summary>
    /// The largest listing body the client reads, in bytes (16 MiB): a larger one is refused with a
    /// <see cref="CoapException"/>, before any more is fetched when block 0's Size2 announces it.
    /// </summary>
    public int MaxListingBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The most entries a listing may hold, refused names included (65 536): a listing with more is refused with a
    /// <see cref="CoapException"/>, so a server cannot make the client build a million entries.
    /// </summary>
    public int MaxListingEntries { get; set; } = 65_536;

    /// <summary>
    /// Writes a whole file with PUT (block-wise, RFC 7959 §2.5, when larger than the block size) and returns the ETag
    /// of the new content, which the file service sends with every PUT response. With <paramref name="ifMatch"/> the
    /// server replaces the file only if its ETag is still that one, with <paramref name="ifNoneMatch"/> only creates
    /// it (RFC 7252 §5.10.8); otherwise it answers 4.12, thrown as a <see cref="CoapFileException"/>.
    /// </summary>
    public async Task<FileETag?> WriteAsync(
        CoapUri uri,
        ReadOnlyMemory<byte> content,
        FileETag? ifMatch = null,
        bool ifNoneMatch = false,
        IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (RemotePath.IsDirectory(uri))
        {
            throw new ArgumentException($"'{uri}' names a directory (it ends with a slash); a file's URI has none.", nameof(uri));
        }

        var request = Client.NewRequest(CoapCode.Put, content, null);
        if (ifMatch is not null)
        {
            request.Options.Add(OptionNumber.IfMatch, ifMatch.Bytes);
        }

        if (ifNoneMatch)
        {
            request.Options.Add(CoapOption.Empty(OptionNumber.IfNoneMatch));
        }

        var response = await SendAsync(request, uri, progress, cancellationToken).ConfigureAwait(false);
        var operation = ifNoneMatch ? FileOperation.Create : ifMatch is null ? FileOperation.Write : FileOperation.Overwrite;
        return Success(response, operation, uri).ETag;
    }

    /// <summary>
    /// As <see cref="WriteAsync(CoapUri, ReadOnlyMemory{byte}, FileETag?, bool, IProgress{TransferProgress}?, CancellationToken)"/>
    /// with the rest of a stream as the content. The stream is read whole before the first block goes out, so that a
    /// failing read never leaves a half-written upload behind.
    /// </summary>
    public async Task<FileETag?> WriteAsync(
        CoapUri uri,
        Stream content,
        FileETag? ifMatch = null,
        bool ifNoneMatch = false,
        IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return await WriteAsync(uri, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ifMatch, ifNoneMatch, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a file, or a directory with everything in it (the URI ends with a slash). With
    /// <paramref name="ifMatch"/> only if the ETag is still that one (4.12 otherwise). 4.04 when it does not exist.
    /// </summary>
    public async Task DeleteAsync(CoapUri uri, FileETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var request = Client.NewRequest(CoapCode.Delete, default, null);
        if (ifMatch is not null)
        {
            request.Options.Add(OptionNumber.IfMatch, ifMatch.Bytes);
        }

        var response = await SendAsync(request, uri, null, cancellationToken).ConfigureAwait(false);
        Success(response, FileOperation.Delete, uri);
    }

    /// <summary>
    /// Creates a directory with a PUT to its URI (a trailing slash is added if missing). Returns true when the server
    /// created it (2.01), false when it was already there (2.04).
    /// </summary>
    public async Task<bool> CreateDirectoryAsync(CoapUri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var directory = RemotePath.AsDirectory(uri);
        var response = await SendAsync(Client.NewRequest(CoapCode.Put, default, null), directory, null, cancellationToken).ConfigureAwait(false);
        return Success(response, FileOperation.CreateDirectory, directory).Response.Code == CoapCode.Created;
    }

    /// <summary>
    /// Sends a request to a URI with the host's address resolved once per client: a sync of a thousand files to
    /// coap://name/ asks DNS once, not a thousand times. For coaps:// the client then keeps a DTLS session with it.
    /// </summary>
    private async Task<CoapMessage> SendAsync(CoapMessage request, CoapUri uri, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var remote = await ConnectAsync(request, uri, cancellationToken).ConfigureAwait(false);
        return await Client.SendAsync(request, remote, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Observes a directory or file (RFC 7641): the file service notifies its observers when anything below a
    /// directory changes. Goes by <see cref="Route"/> as every other request.
    /// </summary>
    public async IAsyncEnumerable<CoapMessage> ObserveAsync(CoapUri uri, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var request = Client.NewRequest(CoapCode.Get, default, null);
        var remote = await ConnectAsync(request, uri, cancellationToken).ConfigureAwait(false);
        await foreach (var notification in Client.ObserveAsync(request, remote, cancellationToken).ConfigureAwait(false))
        {
            yield return notification;
        }
    }

    /// <summary>Puts the URI's path and query on the request and returns where it goes (see <see cref="Route"/>).</summary>
    private async Task<IPEndPoint> ConnectAsync(CoapMessage request, CoapUri uri, CancellationToken cancellationToken)
    {
        uri.ApplyTo(request);
        var to = Route?.Invoke(request, uri) ?? uri;
        return await RemoteAsync(to, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The address of a URI's host, resolved (and for coaps:// connected) once per client.</summary>
    private async Task<IPEndPoint> RemoteAsync(CoapUri to, CancellationToken cancellationToken)
    {
        var key = (to.Host, to.Port);
        if (!_addresses.TryGetValue(key, out var remote))
        {
            remote = await Client.ConnectAsync(to, cancellationToken).ConfigureAwait(false);
            _addresses[key] = remote;
        }

        return remote;
    }

    /// <summary>The response if it is 2.xx, with its ETag; the error as a <see cref="CoapFileException"/> otherwise.</summary>
    private static (CoapMessage Response, FileETag? ETag) Success(CoapMessage response, FileOperation operation, CoapUri uri) =>
        response.Code.IsSuccess ? (response, ETagOf(response)) : throw FileErrors.From(response, operation, uri);

    /// <summary>The response's first ETag option, if it has a usable one (1 to 8 bytes).</summary>
    private static FileETag? ETagOf(CoapMessage response) =>
        response.Options.TryGet(OptionNumber.ETag, out var option) && option.Value.Length is >= 1 and <= 8 ? new FileETag(option.Value.Span) : null;
}
