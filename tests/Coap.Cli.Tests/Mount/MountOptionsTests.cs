using Coap.Cli.Commands;
using Coap.Cli.Mount;

namespace Coap.Cli.Tests.Mount;

/// <summary>coap mount's -o options, comma-separated and repeatable as for mount(8).</summary>
public sealed class MountOptionsTests
{
    [Fact]
    public void Without_options_the_mount_is_writable_with_a_2_second_cache() =>
        Assert.Equal(new MountOptions(false, TimeSpan.FromSeconds(2)), MountOptions.Parse([]));

    [Fact]
    public void Options_combine_and_the_last_ro_or_rw_wins() =>
        Assert.Equal(new MountOptions(true, TimeSpan.FromSeconds(0.5)), MountOptions.Parse(["rw,cache_timeout=0.5", "ro"]));

    [Theory]
    [InlineData("sideways", "unknown mount option 'sideways'")]
    [InlineData("cache_timeout=soon", "invalid cache_timeout 'soon'")]
    [InlineData("cache_timeout=-1", "invalid cache_timeout '-1'")]
    [InlineData("cache_timeout=90000", "invalid cache_timeout '90000'")]
    public void A_bad_option_is_a_usage_error_naming_it(string option, string message)
    {
        var error = Assert.Throws<UsageException>(() => MountOptions.Parse([option]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
