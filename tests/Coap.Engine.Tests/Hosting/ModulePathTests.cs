using Coap.Engine.Hosting;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Testing;

namespace Coap.Engine.Tests.Hosting;

/// <summary>A module's Path setting: what passes can be mapped as a route; what does not is named by its key.</summary>
public sealed class ModulePathTests
{
    [Theory]
    [InlineData("/time")]
    [InlineData("ps")]
    [InlineData("/term/")]
    [InlineData("a/b/c")]
    public void A_fixed_path_passes_and_maps_as_a_route(string path)
    {
        Assert.Null(ModulePath.Check("Modules:X:Path", path));
        new ResourceTree().Map(path.Trim('/') + "/{**rest}", new TestResource(_ => ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData(" ")]
    [InlineData("a//b")]
    [InlineData("{id}")]
    [InlineData("dns}")]
    public void Anything_else_is_refused_naming_the_key(string? path)
    {
        var error = ModulePath.Check("Modules:X:Path", path);

        Assert.NotNull(error);
        Assert.StartsWith("Modules:X:Path must be a non-empty path", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("", true)]
    [InlineData("files", true)]
    [InlineData(null, false)]
    [InlineData("a//b", false)]
    public void The_root_may_be_allowed(string? path, bool valid)
    {
        var error = ModulePath.Check("Modules:FileServer:Path", path, allowRoot: true);

        Assert.Equal(valid, error is null);
        Assert.True(valid || error!.Contains("or '/'", StringComparison.Ordinal));
    }
}
