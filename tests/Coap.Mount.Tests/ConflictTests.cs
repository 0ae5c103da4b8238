using System.Runtime.InteropServices;
using System.Text;
using Coap.Engine.Client;

namespace Coap.Mount.Tests;

/// <summary>
/// A file changed on the server while it is open for writing through the mount: the write-back must fail with EIO
/// and leave the other client's content, never overwrite it silently. The file is driven with open/write/close
/// from libc, because the error arrives on close(2), which shells and .NET streams do not report.
/// </summary>
public sealed class ConflictTests : IClassFixture<MountFixture>
{
    private const int O_WRONLY = 1;
    private const int O_APPEND = 0x400;
    private const int EIO = 5;

    private readonly FileHost _host;
    private readonly MountedDirectory _mount;

    public ConflictTests(MountFixture fixture)
    {
        _host = fixture.Host;
        _mount = fixture.Mount;
    }

    [FuseFact]
    public async Task Closing_a_file_another_client_changed_since_it_was_opened_fails_with_EIO_and_keeps_their_content()
    {
        await File.WriteAllTextAsync(_host.PathOf("shared.txt"), "original\n");
        await _mount.ShowsAsync("shared.txt");
        var fd = open(_mount.PathOf("shared.txt"), O_WRONLY | O_APPEND);
        Assert.True(fd >= 0, $"open failed: errno {Marshal.GetLastPInvokeError()}");
        var mine = Encoding.UTF8.GetBytes("mine\n");
        Assert.Equal(mine.Length, (int)write(fd, mine, (nuint)mine.Length));

        await _host.Files.WriteAsync(CoapUri.Parse(_host.Uri + "shared.txt"), Encoding.UTF8.GetBytes("theirs\n"));
        var closed = close(fd);
        var error = Marshal.GetLastPInvokeError();

        await _mount.WaitUntilAsync(() => _mount.Log.Contains("shared.txt: changed", StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Assert.Equal(-1, closed);
        Assert.Equal(EIO, error);
        Assert.Equal("theirs\n", await File.ReadAllTextAsync(_host.PathOf("shared.txt")));
        Assert.Contains("shared.txt: changed on the server since opened", _mount.Log, StringComparison.Ordinal);
    }

    [FuseFact]
    public async Task Writing_to_a_file_another_client_changed_after_it_was_opened_is_refused()
    {
        await File.WriteAllTextAsync(_host.PathOf("early.txt"), "original\n");
        await _mount.ShowsAsync("early.txt");
        var fd = open(_mount.PathOf("early.txt"), O_WRONLY | O_APPEND);
        Assert.True(fd >= 0, $"open failed: errno {Marshal.GetLastPInvokeError()}");

        await _host.Files.WriteAsync(CoapUri.Parse(_host.Uri + "early.txt"), Encoding.UTF8.GetBytes("theirs\n"));
        var mine = Encoding.UTF8.GetBytes("mine\n");
        var written = write(fd, mine, (nuint)mine.Length);
        var error = Marshal.GetLastPInvokeError();
        Assert.Equal(0, close(fd));

        Assert.Equal(-1, (int)written);
        Assert.Equal(EIO, error);
        Assert.Equal("theirs\n", await File.ReadAllTextAsync(_host.PathOf("early.txt")));
    }

#pragma warning disable SYSLIB1054, CA2101 // plain libc calls: the test must see close(2)'s own result and errno.
    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nuint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
#pragma warning restore SYSLIB1054, CA2101
}
