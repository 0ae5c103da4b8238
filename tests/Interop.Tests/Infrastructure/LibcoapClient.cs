namespace Interop.Tests.Infrastructure;

/// <summary>libcoap's coap-client-notls.</summary>
public static class LibcoapClient
{
    /// <summary>Runs coap-client with the given arguments (the URI last) and a wait bound of its own (-B).</summary>
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        Tool.RunAsync(Tool.Find("coap-client-notls"), ["-B", "20", .. arguments], TimeSpan.FromSeconds(40));
}
