using System.Text;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Coap.Engine.Tests.Server;
using Coap.Testing;
using static Coap.Engine.Tests.Observe.ObserveRequests;

namespace Coap.Engine.Tests.Observe;

/// <summary>Which observers a registration joins (IObservableRoute.ObserversOf), and a change that races a registration.</summary>
public sealed class ObserverSetTests
{
    [Fact]
    public async Task A_template_resource_keeps_observers_per_path_and_a_change_to_one_path_notifies_only_its_observers()
    {
        var resource = new PerPathResource();
        await using var server = new ServerFixture(t => t.Map("t/{name}", resource, TestObservableResource.Metadata));
        server.Peer.Send(Get("t/a", 1, 0xA1));
        server.Peer.Expect();
        server.Peer.Send(Get("t/b", 2, 0xB2));
        server.Peer.Expect();

        resource.For("a").NotifyChanged();

        var notification = server.Peer.Expect();
        server.Peer.ExpectNothing();
        Assert.Equal(Token(0xA1), notification.Token);
        Assert.Equal("a", Text(notification));
        Assert.Equal((1, 1), (resource.For("a").Count, resource.For("b").Count));
    }

    [Fact]
    public async Task A_change_reported_while_the_registration_is_rendered_reaches_the_new_observer()
    {
        var state = "old";
        TestObservableResource? resource = null;
        resource = new TestObservableResource(_ =>
        {
            var answer = state;
            if (state == "old")
            {
                // The state changes after this render took its value, before the observer is on the list.
                state = "new";
                resource!.Observers.NotifyChanged();
            }

            return CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(answer));
        });
        await using var server = new ServerFixture(t => t.Map("obs", resource, TestObservableResource.Metadata));

        server.Peer.Send(Get("obs", 1, 0xA1));
        var sent = new[] { server.Peer.Expect(), server.Peer.Expect() }.OrderBy(m => m.Observe).ToArray();

        // The re-notification may leave before the registration's answer; the Observe numbers order them (RFC 7641 §3.4).
        Assert.Equal(["old", "new"], sent.Select(Text));
        Assert.Contains(sent, m => m.Type == CoapMessageType.Acknowledgement && Text(m) == "old");
    }

    private sealed class PerPathResource : IObservableRoute
    {
        private readonly Dictionary<string, ResourceObservers> _byName = [];

        public ResourceObservers For(string name)
        {
            lock (_byName)
            {
                return _byName.TryGetValue(name, out var observers) ? observers : _byName[name] = new ResourceObservers();
            }
        }

        public ResourceObservers? ObserversOf(CoapRequestContext context) => For(context.Route["name"]!);

        public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context) =>
            ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(context.Route["name"]!)));
    }
}
