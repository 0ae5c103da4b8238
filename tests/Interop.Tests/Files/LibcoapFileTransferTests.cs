using System.Globalization;
using System.Security.Cryptography;
using Coap.Engine.LinkFormat;
using Interop.Tests.Infrastructure;

namespace Interop.Tests.Files;

/// <summary>
/// libcoap's coap-client puts files into the file service and gets them back (RFC 7959 block-wise both ways): the bytes
/// are identical and the directory listing shows each with its size.
/// </summary>
public sealed class LibcoapFileTransferTests(FileHostFixture host) : IClassFixture<FileHostFixture>
{
    public static TheoryData<int, int> Transfers => new()
    {
        { 0, 1024 },
        { 1, 1024 },
        { 1023, 1024 },
        { 1024, 1024 },
        { 1025, 1024 },
        { 1 << 20, 1024 },
        { 20 << 20, 1024 },
        { 0, 16 },
        { 1, 16 },
        { 1023, 16 },
        { 1024, 16 },
        { 1025, 16 },
    };

    [Theory]
    [MemberData(nameof(Transfers))]
    public async Task Put_then_get_is_byte_identical_and_listed_with_its_size(int length, int blockSize)
    {
        var name = $"f-{length}-{blockSize}.bin";
        var source = Path.Join(host.Scratch, name);
        var fetched = source + ".back";
        var body = new byte[length];
        new Random(length).NextBytes(body);
        await File.WriteAllBytesAsync(source, body);
        var size = blockSize.ToString(CultureInfo.InvariantCulture);

        var put = await LibcoapClient.RunAsync("-m", "put", "-b", size, "-f", source, host.BaseUri + name);
        var get = await LibcoapClient.RunAsync("-m", "get", "-b", size, "-o", fetched, host.BaseUri + name);
        var list = await LibcoapClient.RunAsync("-m", "get", host.BaseUri);

        Assert.True(put.ExitCode == 0, put.StandardError);
        Assert.True(get.ExitCode == 0, get.StandardError);
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(await File.ReadAllBytesAsync(Path.Join(host.Root, name))));
        var back = File.Exists(fetched) ? await File.ReadAllBytesAsync(fetched) : [];
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Convert.ToHexString(SHA256.HashData(back)));
        Assert.True(LinkFormatParser.TryParse(list.StandardOutput.Trim(), out var links, out var error), error + list.StandardOutput);
        var link = Assert.Single(links, l => l.Target == name);
        Assert.Equal(length.ToString(CultureInfo.InvariantCulture), link.GetAttribute("sz"));
    }

    [Fact]
    public async Task Put_of_a_directory_then_delete_through_libcoap()
    {
        var made = await LibcoapClient.RunAsync("-m", "put", host.BaseUri + "made/");
        var gone = await LibcoapClient.RunAsync("-m", "delete", host.BaseUri + "made/");

        Assert.Equal(0, made.ExitCode);
        Assert.Equal(0, gone.ExitCode);
        Assert.False(Directory.Exists(Path.Join(host.Root, "made")));
    }

    [Fact]
    public async Task Libcoap_observing_a_directory_sees_a_file_put_by_another_client()
    {
        Directory.CreateDirectory(Path.Join(host.Root, "watched"));
        await File.WriteAllTextAsync(Path.Join(host.Root, "watched", "first.txt"), "1");
        var source = Path.Join(host.Scratch, "note.txt");
        await File.WriteAllTextAsync(source, "hello");

        // The observation outlasts the test (which kills the client): a short -s would race the start of the second
        // client and the notification's coalescing delay on a busy machine.
        using var observer = Tool.Start(Tool.Find("coap-client-notls"), ["-B", "60", "-m", "get", "-s", "60", host.BaseUri + "watched/"]);
        try
        {
            // The first listing arrives only once the server has registered the observation: then the PUT is a change.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var seen = new System.Text.StringBuilder();
            await ReadUntilAsync(observer, seen, "<first.txt>", bound.Token);
            Assert.DoesNotContain("note.txt", seen.ToString(), StringComparison.Ordinal);

            var put = await LibcoapClient.RunAsync("-m", "put", "-f", source, host.BaseUri + "watched/note.txt");
            await ReadUntilAsync(observer, seen, "<note.txt>;ct=0;sz=5", bound.Token);

            Assert.Equal(0, put.ExitCode);
            Assert.False(observer.HasExited, "coap-client ended its observation early");
        }
        finally
        {
            observer.Kill(entireProcessTree: true);
            await observer.WaitForExitAsync();
        }
    }

    /// <summary>Reads the observer's output until it holds <paramref name="wanted"/>; fails if the client ends first.</summary>
    private static async Task ReadUntilAsync(System.Diagnostics.Process process, System.Text.StringBuilder seen, string wanted, CancellationToken cancellationToken)
    {
        var buffer = new char[4096];
        while (!seen.ToString().Contains(wanted, StringComparison.Ordinal))
        {
            var read = await process.StandardOutput.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, $"coap-client ended before printing '{wanted}': {seen}");
            seen.Append(buffer, 0, read);
        }
    }
}
