namespace Interop.Tests.Infrastructure;

/// <summary>libcoap's coap-client-notls.</summary>
public static class LibcoapClient
{
    /// <summary>
    /// Runs coap-client with the given arguments (the URI last). Its -B bounds the whole operation, not the wait for
    /// one answer, and when it runs out coap-client stops half-way through a block-wise transfer and still exits 0:
    /// so -B is libcoap's own default of 90 s, far beyond a 20 MiB transfer on a busy machine, and the kill bound
    /// lies beyond it.
    /// </summary>
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        Tool.RunAsync(Tool.Find("coap-client-notls"), ["-B", "90", .. arguments], TimeSpan.FromSeconds(120));
}
