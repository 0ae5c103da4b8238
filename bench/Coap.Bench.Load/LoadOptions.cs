using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Coap.Engine.Protocol;

namespace Coap.Bench.Load;

/// <summary>Command line of the load generator; flags follow coapload's where they overlap.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        usage: Coap.Bench.Load coap://HOST[:PORT]/path[?a=b&c] [-w W] [-c C] [-d SEC] [-W SEC] [-t T] [-n]
                               [-k TKL] [-T MS] [-r MSGS] [-P PID] [-m METHOD] [-p BYTES] [-f FORMAT] [-x URI] [-q]
          -w W      requests outstanding in total (default 16)
          -c C      client sockets (source ports); slots spread round-robin (default 16, <= W)
          -t T      generator threads; sockets spread round-robin; a thread with one socket blocks in
                    Receive, a thread with several waits with poll (default 1, <= C)
          -d SEC    measured duration in seconds (default 10)
          -W SEC    warm-up seconds before measuring (default 1)
          -n        NON requests instead of CON
          -k TKL    token length 2..8 (default 4)
          -T MS     a request unanswered after MS counts as a timeout and its slot sends a new one (default 2000)
          -r MSGS   re-create a client socket (new source port) after MSGS requests so no MID is reused
                    on an endpoint while a de-duplicating server could remember it (default 60000; 0 = never)
          -P PID    report the server's CPU use (user+sys) over the measurement window as srv_cpu_pct
          -m METHOD GET (default), PUT or POST
          -p BYTES  a payload of BYTES bytes ('x'), 0..1024 (default 0)
          -f FORMAT the payload's Content-Format (default none)
          -x URI    send to HOST:PORT as a forward proxy: the request carries Proxy-Uri URI and no Uri-Path/Query
          -q        only print the final machine-readable line
        Loopback targets only.
        """;

    public required IPEndPoint Target { get; init; }

    public required string Path { get; init; }

    public required string Query { get; init; }

    public int Window { get; init; } = 16;

    public int Clients { get; init; } = 16;

    public int Threads { get; init; } = 1;

    public double DurationSeconds { get; init; } = 10;

    public double WarmupSeconds { get; init; } = 1;

    public bool NonConfirmable { get; init; }

    public int TokenLength { get; init; } = 4;

    public int TimeoutMilliseconds { get; init; } = 2000;

    public int RotateAfter { get; init; } = 60000;

    public int? ServerPid { get; init; }

    public CoapCode Method { get; init; } = CoapCode.Get;

    public int PayloadBytes { get; init; }

    public int? ContentFormat { get; init; }

    public bool Quiet { get; init; }

    /// <summary>With -x: the Proxy-Uri of every request; the target is then a forward proxy.</summary>
    public string? ProxyUri { get; init; }

    /// <summary>Parses the arguments; returns null and sets <paramref name="error"/> when they are wrong.</summary>
    public static LoadOptions? Parse(string[] args, out string? error)
    {
        error = null;
        string? uri = null;
        int window = 16, clients = 16, threads = 1, tokenLength = 4, timeout = 2000, rotate = 60000;
        double duration = 10, warmup = 1;
        int? pid = null, format = null;
        int payload = 0;
        var method = CoapCode.Get;
        bool non = false, quiet = false;
        string? proxyUri = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-n":
                    non = true;
                    continue;
                case "-q":
                    quiet = true;
                    continue;
                case "-h" or "--help":
                    error = string.Empty;
                    return null;
            }

            if (!arg.StartsWith('-'))
            {
                uri = arg;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{arg} needs a value";
                return null;
            }

            var value = args[++i];
            var ok = arg switch
            {
                "-w" => int.TryParse(value, CultureInfo.InvariantCulture, out window),
                "-c" => int.TryParse(value, CultureInfo.InvariantCulture, out clients),
                "-t" => int.TryParse(value, CultureInfo.InvariantCulture, out threads),
                "-d" => double.TryParse(value, CultureInfo.InvariantCulture, out duration),
                "-W" => double.TryParse(value, CultureInfo.InvariantCulture, out warmup),
                "-k" => int.TryParse(value, CultureInfo.InvariantCulture, out tokenLength),
                "-T" => int.TryParse(value, CultureInfo.InvariantCulture, out timeout),
                "-r" => int.TryParse(value, CultureInfo.InvariantCulture, out rotate),
                "-P" => TryParseInt(value, out pid),
                "-m" => TryParseMethod(value, out method),
                "-p" => int.TryParse(value, CultureInfo.InvariantCulture, out payload) && payload is >= 0 and <= 1024,
                "-f" => TryParseInt(value, out format),
                "-x" => (proxyUri = value).StartsWith("coap://", StringComparison.Ordinal),
                _ => false,
            };
            if (!ok)
            {
                error = $"bad option {arg} {value}";
                return null;
            }
        }

        error = Check(uri, window, clients, threads, duration, warmup, tokenLength, timeout, rotate);
        if (error is not null || !TryParseUri(uri!, out var target, out var path, out var query, out error))
        {
            return null;
        }

        return new LoadOptions
        {
            Target = target,
            Path = path,
            Query = query,
            Window = window,
            Clients = clients,
            Threads = threads,
            DurationSeconds = duration,
            WarmupSeconds = warmup,
            NonConfirmable = non,
            TokenLength = tokenLength,
            TimeoutMilliseconds = timeout,
            RotateAfter = rotate,
            ServerPid = pid,
            ProxyUri = proxyUri,
            Method = method,
            PayloadBytes = payload,
            ContentFormat = format,
            Quiet = quiet,
        };
    }

    private static string? Check(string? uri, int window, int clients, int threads, double duration, double warmup, int tokenLength, int timeout, int rotate) =>
        uri is null ? "no coap:// URI given"
        : window < 1 ? "-w must be at least 1"
        : clients < 1 || clients > window ? "-c must be between 1 and -w"
        : threads < 1 || threads > clients ? "-t must be between 1 and -c"
        : duration <= 0 || warmup < 0 ? "-d must be positive and -W not negative"
        : tokenLength is < 2 or > 8 ? "-k must be 2..8 (two bytes hold the slot index)"
        : window > ushort.MaxValue ? "-w must be at most 65535"
        : timeout < 1 || rotate < 0 ? "-T must be positive and -r not negative"
        : null;

    private static bool TryParseInt(string value, out int? pid)
    {
        var ok = int.TryParse(value, CultureInfo.InvariantCulture, out var parsed);
        pid = ok ? parsed : null;
        return ok;
    }

    private static bool TryParseMethod(string value, out CoapCode method)
    {
        method = value switch
        {
            "GET" => CoapCode.Get,
            "PUT" => CoapCode.Put,
            "POST" => CoapCode.Post,
            _ => CoapCode.Empty,
        };
        return method != CoapCode.Empty;
    }

    private static bool TryParseUri(string text, out IPEndPoint target, out string path, out string query, out string? error)
    {
        target = new IPEndPoint(IPAddress.Loopback, 5683);
        path = string.Empty;
        query = string.Empty;
        if (!text.StartsWith("coap://", StringComparison.Ordinal) || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            error = $"not a coap:// URI: {text}";
            return false;
        }

        var host = uri.IdnHost;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            error = $"cannot resolve {host}: {e.Message}";
            return false;
        }

        // Refuse anything that is not loopback: this tool floods its target.
        if (addresses.Length == 0 || Array.Exists(addresses, a => !IPAddress.IsLoopback(a)))
        {
            error = $"refusing non-loopback target {host}";
            return false;
        }

        var address = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        target = new IPEndPoint(address, uri.IsDefaultPort || uri.Port < 0 ? 5683 : uri.Port);
        path = uri.AbsolutePath;
        query = uri.Query;
        error = null;
        return true;
    }
}
