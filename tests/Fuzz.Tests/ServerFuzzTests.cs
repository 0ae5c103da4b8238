using Coap.Engine.Protocol;
using Coap.Fuzzing;
using Microsoft.Extensions.Logging;

namespace Fuzz.Tests;

/// <summary>
/// 20 000 fuzzed datagrams (four seeds of 5 000) from three peers against the four services on one server, the clock
/// moving as the fuzzer asks. Afterwards: no finding (every CON answered, every answer well-formed and carrying its
/// request's token, no 5.00, …), every seed reached the state behind the services, nothing logged at Error or with an
/// exception, /time still answers, the sentinel beside the root unchanged, no upload temp file left or held open,
/// nothing below the test's directory held open once the server is gone, and no more descriptors open than before.
/// </summary>
public sealed class ServerFuzzTests
{
    private const int Datagrams = 5_000;

    /// <summary>
    /// Files the file service may keep open for the next blocks of a download (its OpenFileCache) even after the 24 s the
    /// run ends with: a notification rendered late (its file system watcher event came in late) opens one.
    /// </summary>
    private const int OpenFileCacheCapacity = 32;

    /// <summary>
    /// Descriptors the runtime and the test runner may open meanwhile (a pipe, a socket; none of them per request).
    /// </summary>
    private const int DescriptorSlack = 4;

    /// <summary>
    /// Answers every seed draws at least once: the datagrams get past the first checks to the state behind them. A
    /// publication or reconfiguration answered 2.04 is not among them: handlers run on workers and pub-sub changes go
    /// through the group commit, so whether a topic's creation is on the disk before the next datagram about it is
    /// handled depends on timing, not on the seed; so does a 4.09 for an upload whose directory another peer deleted,
    /// a 2.02 for DELETE /ps/{id}, which needs the creation's 2.01 back before the scenario picks the id (it was
    /// missed for seed 1 in about half the runs on 2026-12-02), and the creation's 2.01 itself (10 to 53 a run for seed
    /// 4, none in about one run of fifteen for seed 3 or 4, as at e09f88e): a topic's data read back (GET
    /// /ps/data/{id} 2.05, at least 98 a run) shows instead that the broker's topics were created and published to.
    /// Their wrong answers are still findings.
    /// </summary>
    private static readonly string[] Reached =
    [
        "GET /files/… 2.05", "PUT /files/… 2.01", "PUT /files/… 2.31", "DELETE /files/… 2.02", "GET /time 2.05",
        "GET /ps/data/{id} 2.05", "FETCH /dns 2.05", "FETCH /dns 2.03",
        "GET /.well-known/core 2.05",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Fuzzed_datagrams_leave_the_server_correct_answering_and_clean(int seed)
    {
        var descriptorsBefore = Descriptors();
        string directory;
        await using (var server = new FuzzedServer())
        {
            directory = server.Base;
            var sentinel = DirectoryHash.Of(server.Outside);
            var client = new FuzzClient(seed, peers: 3, server.Server.Time.GetUtcNow);

            for (var i = 0; i < Datagrams; i++)
            {
                server.Send(client, client.Next());
            }

            await server.SettleAsync(client);
            client.ReportUnanswered();

            Assert.True(client.Findings.Count == 0, $"seed {seed}:\n{client.Findings}");
            var missing = Reached.Except(client.Coverage.Answers.Keys).ToList();
            Assert.True(missing.Count == 0, $"seed {seed} never got {string.Join(", ", missing)}");
            Assert.Empty(server.Server.Logs.Exceptions);
            Assert.DoesNotContain(server.Server.Logs.Entries, e => e.Level >= LogLevel.Error);
            Assert.Equal(CoapCode.Content, server.Ask(client, CoapMessage.CreateRequest(CoapCode.Get, "time")).Code);
            Assert.Equal(sentinel, DirectoryHash.Of(server.Outside));
            Assert.Empty(server.TempFiles());
            var held = ProcessFigures.OpenFilesBelow(Environment.ProcessId, server.Base);
            Assert.DoesNotContain(held, path => path.EndsWith(".upload", StringComparison.Ordinal));
            Assert.InRange(held.Count, 0, OpenFileCacheCapacity);
        }

        Assert.Empty(ProcessFigures.OpenFilesBelow(Environment.ProcessId, directory));

        Assert.InRange(Descriptors(), 0, descriptorsBefore + DescriptorSlack);
    }

    /// <summary>
    /// Open descriptors but those the runtime keeps on the files it loads (assemblies, symbols, native libraries).
    /// </summary>
    private static int Descriptors() => ProcessFigures.OpenTargets(Environment.ProcessId).Count(target =>
        !target.EndsWith(".dll", StringComparison.Ordinal) && !target.EndsWith(".pdb", StringComparison.Ordinal) && !target.Contains(".so", StringComparison.Ordinal));
}
