using System.Globalization;
using System.Net;

namespace Coap.Bench.Observe;

/// <summary>
/// Registers observers with a server running in another process (ours or libcoap's) and reports that process's
/// resident memory (VmRSS from /proc) before and at each count asked for: TOKENS observations per client socket
/// (one token each), sockets added until the count is reached. Registrations go out one socket's worth at a time and
/// wait (bounded) for their answers, so the server's receive buffer does not overflow; a registration left
/// unanswered counts as not made. <c>--query-per-token</c> gives each of a socket's requests its own Uri-Query, for
/// libcoap, which keeps one observation per client and request (a new token for the same request replaces the old).
/// </summary>
internal static class ExternalObservers
{
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: --external coap://HOST:PORT/PATH PID N1,N2,… [TOKENS=100] [--query-per-token]");
            return 2;
        }

        var uri = new Uri(args[0]);
        var server = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        var path = uri.AbsolutePath.Trim('/');
        var pid = int.Parse(args[1], CultureInfo.InvariantCulture);
        var counts = args[2].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var tokens = args.Length > 3 && args[3] != "--query-per-token" ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100;
        var queryPerToken = args.Contains("--query-per-token");

        await Task.Delay(Settle);
        Console.WriteLine($"observers 0: rss {Rss(pid)} KiB");
        var sockets = new List<ObserverSocket>();
        using var stop = new CancellationTokenSource();
        var receivers = new List<Task>();
        try
        {
            foreach (var count in counts)
            {
                while (sockets.Count * tokens < count)
                {
                    var socket = new ObserverSocket(server);
                    sockets.Add(socket);
                    receivers.Add(socket.ReceiveAsync(stop.Token));
                    socket.Send(sockets.Count - 1, tokens, observe: 0, path, queryPerToken);
                    var waited = System.Diagnostics.Stopwatch.StartNew();
                    while (socket.Responses < tokens && waited.Elapsed < AnswerWait)
                    {
                        await Task.Delay(1);
                    }
                }

                await Task.Delay(Settle);
                var registered = sockets.Sum(s => Math.Min(s.Responses, tokens));
                Console.WriteLine($"observers {count}: answered {registered}, rss {Rss(pid)} KiB, notifications received {sockets.Sum(s => s.Notifications)}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(receivers);
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        return 0;
    }

    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
