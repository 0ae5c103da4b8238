using Coap.Engine.Client;
using Coap.Engine.Protocol;

namespace Coap.Cli.Term;

/// <summary>The terminal service answered something `coap term` cannot go on with.</summary>
internal sealed class RemoteSessionException(CoapMessage response)
    : CoapException($"the terminal service answered {response.Code.Describe()}{(response.Payload.IsEmpty ? string.Empty : ": " + System.Text.Encoding.UTF8.GetString(response.Payload.Span))}")
{
    public CoapMessage Response { get; } = response;
}
