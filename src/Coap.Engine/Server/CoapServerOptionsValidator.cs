using System.Net;
using Microsoft.Extensions.Options;

namespace Coap.Engine.Server;

/// <summary>Checks the "Coap" settings at start-up and names the key of each bad one.</summary>
internal sealed class CoapServerOptionsValidator : IValidateOptions<CoapServerOptions>
{
    /// <summary>
    /// The least deduplication memory, total or per peer: 16 KiB, room for the largest reply (a 1024-byte block with
    /// its options) with entries to spare.
    /// </summary>
    private const long MinDeduplicationMemory = 16 * 1024;

    /// <summary>The most: 4 GiB, what the unit arrays can hold.</summary>
    private const long MaxDeduplicationMemory = 4L * 1024 * 1024 * 1024;

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

        foreach (var (identity, directory) in options.Oscore.Contexts)
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                failures.Add($"Coap:Oscore:Contexts:{identity} must name an OSCORE context folder.");
            }
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

        if (t.MinRto <= TimeSpan.Zero || t.MinRto > t.MaxRto)
        {
            failures.Add($"Coap:Transmission:MinRto must be positive and at most Coap:Transmission:MaxRto (got {t.MinRto} and {t.MaxRto}).");
        }

        var q = options.QBlock;
        if (q.MaxPayloads is < 1 or > 64)
        {
            failures.Add($"Coap:QBlock:MaxPayloads must be between 1 and 64 (got {q.MaxPayloads}).");
        }

        if (q.MaxWindow is < 1 or > 4096)
        {
            failures.Add($"Coap:QBlock:MaxWindow must be between 1 and 4096 (got {q.MaxWindow}).");
        }

        if (q.InitialWindow < 1 || q.InitialWindow > q.MaxWindow)
        {
            failures.Add($"Coap:QBlock:InitialWindow must be between 1 and Coap:QBlock:MaxWindow (got {q.InitialWindow}).");
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

        if (options.MaxQueuedRequestsPerPeer is < 1 || options.MaxQueuedRequestsPerPeer > options.MaxQueuedRequests)
        {
            failures.Add($"Coap:MaxQueuedRequestsPerPeer must be at least 1 and at most Coap:MaxQueuedRequests (got {options.MaxQueuedRequestsPerPeer}).");
        }

        if (options.MaxDeduplicationEntries < 1)
        {
            failures.Add($"Coap:MaxDeduplicationEntries must be at least 1 when set (got {options.MaxDeduplicationEntries}).");
        }

        if (options.DeduplicationMemory is < MinDeduplicationMemory or > MaxDeduplicationMemory)
        {
            failures.Add($"Coap:DeduplicationMemory must be between {MinDeduplicationMemory} and {MaxDeduplicationMemory} bytes (got {options.DeduplicationMemory}).");
        }

        if (options.DeduplicationMemoryPerPeer < MinDeduplicationMemory || options.DeduplicationMemoryPerPeer > options.DeduplicationMemory)
        {
            failures.Add($"Coap:DeduplicationMemoryPerPeer must be at least {MinDeduplicationMemory} bytes and at most Coap:DeduplicationMemory (got {options.DeduplicationMemoryPerPeer}).");
        }

        if (options.MaxPeers < 1)
        {
            failures.Add($"Coap:MaxPeers must be at least 1 (got {options.MaxPeers}).");
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

        if (options.MaxPendingUploadBytesPerPeer < options.MaxBlockSize || options.MaxPendingUploadBytesPerPeer > options.MaxPendingUploadBytes)
        {
            failures.Add($"Coap:MaxPendingUploadBytesPerPeer must be at least Coap:MaxBlockSize and at most Coap:MaxPendingUploadBytes (got {options.MaxPendingUploadBytesPerPeer}).");
        }

        if (options.MaxOpenUploads < 1)
        {
            failures.Add($"Coap:MaxOpenUploads must be at least 1 (got {options.MaxOpenUploads}).");
        }

        if (options.MaxOpenUploadsPerPeer < 1 || options.MaxOpenUploadsPerPeer > options.MaxOpenUploads)
        {
            failures.Add($"Coap:MaxOpenUploadsPerPeer must be at least 1 and at most Coap:MaxOpenUploads (got {options.MaxOpenUploadsPerPeer}).");
        }

        if (options.ObserverCheck <= TimeSpan.Zero || options.ObserverCheck > TimeSpan.FromHours(24))
        {
            failures.Add($"Coap:ObserverCheck must be positive and at most 24 hours (got {options.ObserverCheck}).");
        }

        if (options.ObserverCheckNotifications < 1)
        {
            failures.Add($"Coap:ObserverCheckNotifications must be at least 1 (got {options.ObserverCheckNotifications}).");
        }

        if (options.MaxObserversPerPeer < 0)
        {
            failures.Add($"Coap:MaxObserversPerPeer must not be negative (got {options.MaxObserversPerPeer}).");
        }

        if (options.MaxObserversPerResource < 0)
        {
            failures.Add($"Coap:MaxObserversPerResource must not be negative (got {options.MaxObserversPerResource}).");
        }

        if (options.MaxObservers < 0)
        {
            failures.Add($"Coap:MaxObservers must not be negative (got {options.MaxObservers}).");
        }

        if (options.AmplificationFactor < 1)
        {
            failures.Add($"Coap:AmplificationFactor must be at least 1 (got {options.AmplificationFactor}).");
        }

        if (options.EchoVerificationLifetime < TimeSpan.FromSeconds(1) || options.EchoVerificationLifetime > TimeSpan.FromDays(7))
        {
            failures.Add($"Coap:EchoVerificationLifetime must be between 1 second and 7 days (got {options.EchoVerificationLifetime}).");
        }

        ValidateSecurity(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateSecurity(CoapServerOptions options, List<string> failures)
    {
        var security = options.Security;
        if (!options.Plain.Enabled && string.IsNullOrWhiteSpace(security.PskFile) && string.IsNullOrWhiteSpace(security.CertificateFile))
        {
            failures.Add("Coap:Plain:Enabled is false and neither Coap:Security:PskFile nor Coap:Security:CertificateFile is set: the server would listen nowhere.");
        }

        if (string.IsNullOrWhiteSpace(security.CertificateFile) != string.IsNullOrWhiteSpace(security.PrivateKeyFile))
        {
            failures.Add("Coap:Security:CertificateFile and Coap:Security:PrivateKeyFile go together: set both or neither.");
        }

        if (!string.IsNullOrWhiteSpace(security.CaFile) && string.IsNullOrWhiteSpace(security.CertificateFile))
        {
            failures.Add("Coap:Security:CaFile asks clients for certificates, which needs a server certificate: set Coap:Security:CertificateFile and PrivateKeyFile too.");
        }

        if (security.Port is < 0 or > 65535)
        {
            failures.Add($"Coap:Security:Port must be between 0 and 65535 (got {security.Port}).");
        }

        if (security.MaxHandshakes is < 1 or > 1024)
        {
            failures.Add($"Coap:Security:MaxHandshakes must be between 1 and 1024 (got {security.MaxHandshakes}).");
        }

        if (security.HandshakeTimeout < TimeSpan.FromSeconds(1) || security.HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Coap:Security:HandshakeTimeout must be between 1 second and 5 minutes (got {security.HandshakeTimeout}).");
        }

        if (security.MaxSessions is < 1 or > 1_000_000)
        {
            failures.Add($"Coap:Security:MaxSessions must be between 1 and 1000000 (got {security.MaxSessions}).");
        }

        if (security.SessionIdleTimeout < TimeSpan.FromSeconds(1) || security.SessionIdleTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"Coap:Security:SessionIdleTimeout must be between 1 second and 1 day (got {security.SessionIdleTimeout}).");
        }
    }
}
