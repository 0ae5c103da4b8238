using System.Net;
using Microsoft.Extensions.Options;

namespace Coap.Engine.Server;

/// <summary>Checks the "Coap" settings at start-up and names the key of each bad one.</summary>
internal sealed class CoapServerOptionsValidator : IValidateOptions<CoapServerOptions>
{
    public ValidateOptionsResult Validate(string? name, CoapServerOptions options)
    {
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _))
        {
            failures.Add($"Coap:Address '{options.Address}' is not an IP address.");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Coap:Port must be between 0 and 65535 (got {options.Port}).");
        }

        var t = options.Transmission;
        if (t.AckTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Coap:Transmission:AckTimeout must be positive (got {t.AckTimeout}).");
        }

        if (t.AckRandomFactor < 1.0)
        {
            failures.Add($"Coap:Transmission:AckRandomFactor must be at least 1.0 (got {t.AckRandomFactor}).");
        }

        if (t.MaxRetransmit is < 0 or > 20)
        {
            failures.Add($"Coap:Transmission:MaxRetransmit must be between 0 and 20 (got {t.MaxRetransmit}).");
        }

        if (t.NStart < 1)
        {
            failures.Add($"Coap:Transmission:NStart must be at least 1 (got {t.NStart}).");
        }

        if (t.MaxLatency < TimeSpan.Zero)
        {
            failures.Add($"Coap:Transmission:MaxLatency must not be negative (got {t.MaxLatency}).");
        }

        if (options.SeparateResponseAfter <= TimeSpan.Zero || options.SeparateResponseAfter >= t.AckTimeout)
        {
            failures.Add($"Coap:SeparateResponseAfter must be positive and below Coap:Transmission:AckTimeout (got {options.SeparateResponseAfter}).");
        }

        if (options.RequestWorkers is < 1 or > 256)
        {
            failures.Add($"Coap:RequestWorkers must be between 1 and 256 (got {options.RequestWorkers}).");
        }

        if (options.MaxQueuedRequests is < 1 or > 1_000_000)
        {
            failures.Add($"Coap:MaxQueuedRequests must be between 1 and 1000000 (got {options.MaxQueuedRequests}).");
        }

        if (options.MaxQueuedRequestsPerPeer < 1 || options.MaxQueuedRequestsPerPeer > options.MaxQueuedRequests)
        {
            failures.Add($"Coap:MaxQueuedRequestsPerPeer must be at least 1 and at most Coap:MaxQueuedRequests (got {options.MaxQueuedRequestsPerPeer}).");
        }

        if (options.MaxDeduplicationEntries < 1)
        {
            failures.Add($"Coap:MaxDeduplicationEntries must be at least 1 (got {options.MaxDeduplicationEntries}).");
        }

        if (options.MaxBlockSize is < 16 or > 1024 || (options.MaxBlockSize & (options.MaxBlockSize - 1)) != 0)
        {
            failures.Add($"Coap:MaxBlockSize must be a power of two from 16 to 1024 (got {options.MaxBlockSize}).");
        }

        if (options.MaxBodySize is < 1 or > int.MaxValue)
        {
            failures.Add($"Coap:MaxBodySize must be between 1 and {int.MaxValue} bytes (got {options.MaxBodySize}).");
        }

        if (options.MaxPendingUploadBytes < options.MaxBlockSize)
        {
            failures.Add($"Coap:MaxPendingUploadBytes must be at least Coap:MaxBlockSize (got {options.MaxPendingUploadBytes}).");
        }

        if (options.ObserverCheck <= TimeSpan.Zero)
        {
            failures.Add($"Coap:ObserverCheck must be positive (got {options.ObserverCheck}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
