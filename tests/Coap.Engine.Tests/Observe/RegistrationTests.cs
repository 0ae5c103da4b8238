using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

public sealed class RegistrationTests
{
    private string _state = "one";

    [Fact]
    public async Task Get_with_observe_0_registers_and_the_response_carries_an_observe_number()
    {
        var resource = TestObservableResource.Text(() => _state);
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));

        server.Peer.Send(Get("obs", 1, 0xA1));
        var response = server.Peer.Expect();

        Assert.Equal(CoapMessageType.Acknowledgement, response.Type);
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(Token(0xA1), response.Token);
        Assert.NotNull(response.Observe);
        Assert.Equal("one", Text(response));
        Assert.Equal(1, resource.Observers.Count);
    }

    [Fact]
    public void An_observable_resource_mapped_without_observable_metadata_is_refused_at_start()
    {
        var tree = new ResourceTree();

        var error = Assert.Throws<ArgumentException>(() => tree.Map("plain", TestObservableResource.Text(() => _state)));

        Assert.Contains("/plain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observable_metadata_on_a_resource_that_cannot_be_observed_is_refused_at_start()
    {
        var tree = new ResourceTree();

        Assert.Throws<ArgumentException>(() => tree.Map("plain", TestResource.Text("x"), TestObservableResource.Metadata));
    }

    [Fact]
    public async Task Observe_1_deregisters_and_is_answered_without_observe()
    {
        var resource = TestObservableResource.Text(() => _state);
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();

        server.Peer.Send(Get("obs", 2, 0xA1, observe: 1));
        var response = server.Peer.Expect();

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Null(response.Observe);
        Assert.Equal(0, resource.Observers.Count);
        resource.Observers.NotifyChanged();
        server.Peer.ExpectNothing();
    }

    [Fact]
    public async Task Registering_again_with_the_same_token_replaces_the_stored_request()
    {
        var resource = new TestObservableResource(c => CoapMessage.CreateResponse(CoapCode.Content, System.Text.Encoding.UTF8.GetBytes(c.Request.GetUriQuery())));
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("obs", 1, 0xA1));
        server.Peer.Expect();
        var second = Get("obs", 2, 0xA1);
        second.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, "v=2"));
        server.Peer.Send(second);
        server.Peer.Expect();

        resource.Observers.NotifyChanged();

        Assert.Equal("v=2", Text(server.Peer.Expect()));
        server.Peer.ExpectNothing();
        Assert.Equal(1, resource.Observers.Count);
    }

    [Fact]
    public async Task A_registration_answered_with_an_error_registers_nobody()
    {
        var resource = new TestObservableResource(_ => CoapMessage.CreateResponse(CoapCode.NotFound));
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));

        server.Peer.Send(Get("obs", 1, 0xA1));
        var response = server.Peer.Expect();

        Assert.Equal(CoapCode.NotFound, response.Code);
        Assert.Null(response.Observe);
        Assert.Equal(0, resource.Observers.Count);
    }

    [Fact]
    public async Task Well_known_core_advertises_obs()
    {
        var resource = TestObservableResource.Text(() => _state);
        await using var server = new ServerFixture(t =>
        {
            t.Map("obs", resource, TestObservableResource.Metadata);
            t.WithWellKnownCore();
        });

        server.Peer.Send(ServerFixture.Request(CoapCode.Get, ".well-known/core", 1));

        Assert.Contains("</obs>;obs", Text(server.Peer.Expect()), StringComparison.Ordinal);
    }
}
