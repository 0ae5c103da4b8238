using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Coap.Engine.Client;
using Coap.Engine.Hosting;
using Coap.Engine.Oscore;
using Coap.Engine.Transport.Dtls;

namespace Coap.Cli.Commands;

/// <summary>
/// The options every command has: --timeout, --non, --block-size, --verbose, --no-qblock, the credentials for coaps://: PSK
/// (-u/--identity with -k/--key or --key-file, as libcoap's coap-client takes them) or certificates (--cert with
/// --cert-key/-j, and --ca/-C; libcoap's -c is our --count and -k our PSK key, so the long names differ from its flags),
/// --oscore DIR for OSCORE (--oscore-outer-blocks: a large request in Outer Block1 blocks), and --proxy/-P for a forward proxy.
/// </summary>
internal sealed class ClientOptionSet
{
    /// <summary>The longest timeout accepted: a day is beyond any CoAP exchange and keeps the timer in range.</summary>
    private const double MaxTimeoutSeconds = 86_400;

    private readonly Option<TimeSpan?> _timeout = new("--timeout", "-B")
    {
        Description = "Give up after this many seconds (default: MAX_TRANSMIT_WAIT, 93 s).",
        HelpName = "SECONDS",
        CustomParser = ParseSeconds,
    };

    private readonly Option<bool> _non = new("--non", "-N")
    {
        Description = "Send a non-confirmable (NON) request instead of a confirmable (CON) one.",
    };

    private readonly Option<int?> _blockSize = new("--block-size", "-b")
    {
        Description = "Block size for block-wise transfers (RFC 7959): 16, 32, 64, 128, 256, 512 or 1024 bytes (default 1024).",
        HelpName = "BYTES",
        CustomParser = ParseBlockSize,
    };

    private readonly Option<bool> _verbose = new("--verbose", "-v")
    {
        Description = "Trace the request and the response (type, code, options, payload size) on stderr.",
    };

    private readonly Option<bool> _noQBlock = new("--no-qblock")
    {
        Description = "Do not use Q-Block (RFC 9177) for large downloads; plain block-wise (RFC 7959) only.",
    };

    private readonly Option<string?> _identity = new("--identity", "-u")
    {
        Description = "The PSK identity for coaps:// (DTLS); needs -k or --key-file.",
        HelpName = "ID",
    };

    private readonly Option<string?> _key = new("--key", "-k")
    {
        Description = "The pre-shared key for coaps://: 0x followed by hex digits, or text taken as its UTF-8 bytes. "
            + "Visible to other users in the process list: prefer --key-file.",
        HelpName = "KEY",
    };

    private readonly Option<string?> _certificate = new("--cert")
    {
        Description = "Our certificate for coaps:// with certificates (PEM, P-256 ECDSA; leaf first); needs --cert-key.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _certificateKey = new("--cert-key", "-j")
    {
        Description = "The private key of --cert (PEM, unencrypted EC). Refused when other users may read it: chmod 600 it.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _ca = new("--ca", "-C")
    {
        Description = "CA certificates (PEM) the server's certificate must chain to. Without it, a certificate handshake "
            + "verifies the server against the system's trusted CAs.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _keyFile = new("--key-file")
    {
        Description = "Read the pre-shared key from this file (same syntax as -k; one trailing newline is ignored). "
            + "Refused when other users may read it: chmod 600 it.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _oscore = new("--oscore")
    {
        Description = "Protect requests end to end with OSCORE (RFC 8613), with the security context in this folder "
            + "(aiocoap's format: settings.json with sender-id_hex, recipient-id_hex, secret_hex, optional salt_hex; "
            + "the sequence numbers are kept in it). Its secret must not be readable by others: chmod 600.",
        HelpName = "DIR",
    };

    private readonly Option<bool> _oscoreOuter = new("--oscore-outer-blocks")
    {
        Description = "With --oscore: protect a large request whole and send the protected message in Outer Block1 "
            + "blocks (RFC 8613 §4.1.3.4.2), verified once by the server, instead of protecting each block (inner block-wise).",
    };

    private readonly Option<CoapUri?> _proxy = new("--proxy", "-P")
    {
        Description = "Send the request through this forward proxy (coap://gw[:port]), the target in Proxy-Uri (RFC 7252 §5.7), like coap-client -P.",
        HelpName = "URI",
        CustomParser = ParseProxy,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_proxy);
        command.Options.Add(_timeout);
        command.Options.Add(_non);
        command.Options.Add(_blockSize);
        command.Options.Add(_verbose);
        command.Options.Add(_noQBlock);
        command.Options.Add(_identity);
        command.Options.Add(_key);
        command.Options.Add(_keyFile);
        command.Options.Add(_certificate);
        command.Options.Add(_certificateKey);
        command.Options.Add(_ca);
        command.Options.Add(_oscore);
        command.Options.Add(_oscoreOuter);
        command.Validators.Add(ValidateCredentials);
    }

    /// <summary>
    /// Reads the options; a key file or OSCORE context folder that cannot be read, or that others may read, is a
    /// <see cref="UsageException"/>.
    /// </summary>
    public ClientSettings Read(ParseResult result) =>
        new(result.GetValue(_timeout), result.GetValue(_non), result.GetValue(_verbose))
        {
            BlockSize = result.GetValue(_blockSize),
            NoQBlock = result.GetValue(_noQBlock),
            Psk = ReadCredentials(result),
            Certificate = ReadCertificate(result),
            ServerCas = ReadCas(result),
            Oscore = OpenOscore(result),
            OscoreOuterBlocks = result.GetValue(_oscoreOuter),
            Proxy = result.GetValue(_proxy),
        };

    private static CoapUri? ParseProxy(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (!CoapUri.TryParse(text, out var uri, out var error))
        {
            result.AddError($"invalid --proxy URI '{text}': {error}");
            return null;
        }

        return uri;
    }

    private DtlsCertificate? ReadCertificate(ParseResult result)
    {
        if (result.GetValue(_certificate) is not { } certificate)
        {
            return null;
        }

        try
        {
            return DtlsCertificate.Load(certificate, result.GetValue(_certificateKey)!, "--cert", "--cert-key");
        }
        catch (CoapConfigurationException error)
        {
            throw new UsageException(error.Message.TrimEnd('.'));
        }
    }

    private DtlsTrustAnchors? ReadCas(ParseResult result)
    {
        if (result.GetValue(_ca) is not { } ca)
        {
            return null;
        }

        try
        {
            return DtlsTrustAnchors.Load(ca, "--ca");
        }
        catch (CoapConfigurationException error)
        {
            throw new UsageException(error.Message.TrimEnd('.'));
        }
    }

    /// <summary>The folder stays open (locked) until the command ends, when its state is saved.</summary>
    private OscoreSecurityContext? OpenOscore(ParseResult result)
    {
        if (result.GetValue(_oscore) is not { } directory)
        {
            return null;
        }

        try
        {
            return CommandResources.Own(OscoreContextFolder.Open(directory)).Context;
        }
        catch (Exception error) when (error is OscoreContextFolderException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UsageException($"--oscore {directory}: {error.Message}");
        }
    }

    private PskCredentials? ReadCredentials(ParseResult result)
    {
        if (result.GetValue(_identity) is not { } identity)
        {
            return null;
        }

        var (text, source) = result.GetValue(_keyFile) is { } file ? (KeyFile.Read(file), $"the key file '{file}'") : (result.GetValue(_key)!, "-k");
        try
        {
            return new PskCredentials(identity, Engine.Transport.Dtls.PskKeyText.Parse(text));
        }
        catch (FormatException error)
        {
            throw new UsageException($"invalid key in {source}: {error.Message}");
        }
    }

    /// <summary>
    /// -u needs exactly one of -k and --key-file; --cert and --cert-key go together; PSK and certificates are not mixed;
    /// a coaps:// URI among the command's arguments needs one or the other.
    /// </summary>
    private void ValidateCredentials(CommandResult command)
    {
        var hasIdentity = command.GetResult(_identity) is not null;
        var hasCertificate = command.GetResult(_certificate) is not null;
        var certificates = hasCertificate || command.GetResult(_ca) is not null;
        if (hasCertificate != (command.GetResult(_certificateKey) is not null))
        {
            command.AddError(hasCertificate ? "--cert needs its private key: --cert-key FILE" : "--cert-key needs a certificate: --cert FILE");
            return;
        }

        if (certificates)
        {
            if (hasIdentity || command.GetResult(_key) is not null || command.GetResult(_keyFile) is not null)
            {
                command.AddError("give PSK credentials (-u with -k or --key-file) or certificates (--cert, --cert-key, --ca), not both");
            }

            return;
        }

        var keys = (command.GetResult(_key) is null ? 0 : 1) + (command.GetResult(_keyFile) is null ? 0 : 1);
        if (keys == 2)
        {
            command.AddError("give the key once: -k/--key or --key-file, not both");
        }
        else if (hasIdentity != (keys == 1))
        {
            command.AddError(hasIdentity ? "-u/--identity needs a key: -k/--key KEY or --key-file FILE" : "a key needs an identity: -u/--identity ID");
        }
        else if (!hasIdentity && command.Tokens.Any(token => token.Value.StartsWith("coaps://", StringComparison.OrdinalIgnoreCase)))
        {
            command.AddError("coaps:// needs DTLS credentials: -u/--identity ID and -k/--key KEY (or --key-file FILE), or --cert FILE --cert-key FILE (and --ca FILE)");
        }
    }

    private static int? ParseBlockSize(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 16 and <= 1024 && (size & (size - 1)) == 0)
        {
            return size;
        }

        result.AddError($"invalid block size '{text}': give a power of two from 16 to 1024");
        return null;
    }

    private static TimeSpan? ParseSeconds(ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= MaxTimeoutSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        result.AddError($"invalid timeout '{text}': give a number of seconds greater than 0 and at most {MaxTimeoutSeconds:0}");
        return null;
    }
}
