using Coap.Cli.Mount;
using Coap.Engine.Client;
using Services.FileServer.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Tests.Mount;

/// <summary>What a file service answer becomes for the program on the other side of the mount.</summary>
public sealed class ErrnoTests
{
    [Theory]
    [InlineData(4, 4, Errno.ENOENT)]
    [InlineData(4, 1, Errno.EACCES)]
    [InlineData(4, 3, Errno.EACCES)]
    [InlineData(4, 12, Errno.EIO)]
    [InlineData(4, 13, Errno.EFBIG)]
    [InlineData(4, 0, Errno.EIO)]
    [InlineData(5, 0, Errno.EIO)]
    [InlineData(5, 3, Errno.EIO)]
    public void File_service_codes_map_to_errno(int codeClass, int detail, int errno) =>
        Assert.Equal(errno, Errno.From(new CoapFileException(CoapCode.From(codeClass, detail), "x"), out _));

    [Fact]
    public void No_answer_is_EIO_and_expected_a_bug_is_EIO_and_unexpected()
    {
        Assert.Equal((Errno.EIO, true), (Errno.From(new CoapTimeoutException("no answer"), out var timeout), timeout));
        Assert.Equal((Errno.EIO, false), (Errno.From(new NullReferenceException(), out var bug), bug));
    }
}
