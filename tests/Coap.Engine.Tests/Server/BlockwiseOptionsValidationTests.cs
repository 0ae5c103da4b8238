using Coap.Engine.Server;

namespace Coap.Engine.Tests.Server;

public sealed class BlockwiseOptionsValidationTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    [InlineData(2048)]
    public void Default_block_size_must_be_a_power_of_two_from_16_to_1024(int size)
    {
        var result = new CoapServerOptionsValidator().Validate(null, new CoapServerOptions { MaxBlockSize = size });

        Assert.True(result.Failed);
        Assert.Contains("Coap:MaxBlockSize", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_and_pending_upload_limits_are_checked_by_key()
    {
        var result = new CoapServerOptionsValidator().Validate(null, new CoapServerOptions { MaxBodySize = 0, MaxPendingUploadBytes = 10 });

        Assert.Contains("Coap:MaxBodySize", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Coap:MaxPendingUploadBytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new CoapServerOptionsValidator().Validate(null, new CoapServerOptions()).Succeeded);
    }
}
