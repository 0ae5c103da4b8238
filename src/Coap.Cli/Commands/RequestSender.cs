using System.Net;
using System.Net.Sockets;
using Coap.Cli.Output;
using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Commands;

/// <summary>
/// Sends one request with a <see cref="CoapClient"/> of its own and returns the response, whole: the client fetches
/// and sends every block of a block-wise transfer (RFC 7959), with a progress bar on a terminal.
/// </summary>
internal static class RequestSender
{
    public static async Task<CoapMessage> SendAsync(CliConsole console, RequestPlan plan, ClientSettings settings, CancellationToken cancellationToken)
    {
        var client = new CoapClient(settings.ToClientOptions());
        await using (client.ConfigureAwait(false))
        {
            var request = client.NewRequest(plan.Method, plan.Body.Payload, plan.Body.ContentFormat);
            request.Accept = plan.Accept;
            plan.Uri.ApplyTo(request);
            if (plan.Path is { } path)
            {
                request.SetUriPathSegments(path);
            }

            foreach (var argument in plan.Query)
            {
                request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, argument));
            }

            var remote = await ConnectAsync(client, ProxyRoute.Apply(request, plan.Uri, settings.Proxy), cancellationToken).ConfigureAwait(false);
            if (settings.Verbose)
            {
                console.Error.WriteLine(ClientSettings.DescribeTransfer(client.Options));
                MessageTrace.WriteRequest(console.Error, request, remote);
            }

            var progress = new ProgressBar(console, TimeProvider.System);
            CoapMessage response;
            try
            {
                response = await client.SendAsync(request, remote, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                progress.Clear();
            }

            if (settings.Verbose)
            {
                MessageTrace.WriteResponse(console.Error, response);
            }

            return response;
        }
    }

    /// <summary>
    /// Sends a request to a URI (its path and query become options), or through the forward proxy of --proxy with the
    /// URI in Proxy-Uri.
    /// </summary>
    public static async Task<CoapMessage> SendAsync(CoapClient client, CoapMessage request, CoapUri uri, CoapUri? proxy, CancellationToken cancellationToken)
    {
        uri.ApplyTo(request);
        var remote = await ConnectAsync(client, ProxyRoute.Apply(request, uri, proxy), cancellationToken).ConfigureAwait(false);
        return await client.SendAsync(request, remote, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URI's address, with a DTLS session made for coaps:// (see <see cref="CoapClient.ConnectAsync"/>).</summary>
    public static async Task<IPEndPoint> ConnectAsync(CoapClient client, CoapUri uri, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException error)
        {
            throw new CoapException($"cannot resolve host '{uri.Host}': {error.Message}", error);
        }
    }
}
