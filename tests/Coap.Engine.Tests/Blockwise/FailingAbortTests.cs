using Coap.Engine.Protocol;
using Coap.Testing;

namespace Coap.Engine.Tests.Blockwise;

/// <summary>
/// A sink whose abort throws (as the file service's did when an upload's directory was deleted under it) must not
/// end the process from the expiry timer nor turn another request into 5.00: the failure is logged and the server
/// goes on answering.
/// </summary>
public sealed class FailingAbortTests
{
    [Fact]
    public async Task An_abort_failing_in_the_expiry_timer_is_logged_and_the_server_still_answers()
    {
        var resource = new RecordingUploadResource { FailDisposalWith = new DirectoryNotFoundException("gone") };
        await using var server = new BlockwiseFixture(t =>
        {
            t.Map("up", resource);
            t.Map("ping", TestResource.Text("pong"));
        });
        server.Upload(CoapCode.Put, "up", BlockwiseFixture.RandomBytes(150), 0, 2);

        server.Time.Advance(server.Options.Transmission.ExchangeLifetime);

        Assert.Equal(0, server.Block1.PendingUploads);
        Assert.IsType<DirectoryNotFoundException>(Assert.Single(server.Logs.Exceptions));
        Assert.Equal(CoapCode.Content, server.Get("ping").Code);
    }

    [Fact]
    public async Task An_abort_failing_when_block_0_restarts_the_upload_does_not_fail_the_new_upload()
    {
        var resource = new RecordingUploadResource { FailDisposalWith = new DirectoryNotFoundException("gone") };
        await using var server = new BlockwiseFixture(t => t.Map("up", resource));
        var body = BlockwiseFixture.RandomBytes(150);
        server.Upload(CoapCode.Put, "up", body, 0, 2);
        resource.FailDisposalWith = null;

        var reply = server.Upload(CoapCode.Put, "up", body, 0, 2);

        Assert.Equal(CoapCode.Continue, reply.Code);
        Assert.Single(server.Logs.Exceptions);
    }
}
