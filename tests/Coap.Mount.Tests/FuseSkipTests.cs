namespace Coap.Mount.Tests;

/// <summary>Where FUSE is missing its tests skip with the reason, unless CI requires FUSE: then they run and fail.</summary>
public sealed class FuseSkipTests
{
    [Fact]
    public void With_fuse_usable_the_tests_run()
    {
        Assert.Null(FuseFactAttribute.SkipReason(null, null));
        Assert.Null(FuseFactAttribute.SkipReason(null, "1"));
    }

    [Fact]
    public void With_fuse_missing_the_tests_skip_naming_what_is_missing()
    {
        var reason = FuseFactAttribute.SkipReason("/dev/fuse does not exist", null);

        Assert.NotNull(reason);
        Assert.Contains("/dev/fuse does not exist", reason, StringComparison.Ordinal);
        Assert.Contains(FuseFactAttribute.RequireVariable, reason, StringComparison.Ordinal);
        Assert.NotNull(FuseFactAttribute.SkipReason("/dev/fuse does not exist", "0"));
    }

    [Fact]
    public void When_ci_requires_fuse_a_missing_fuse_does_not_skip()
    {
        Assert.Null(FuseFactAttribute.SkipReason("libfuse3.so.3 is not installed", "1"));
    }
}
