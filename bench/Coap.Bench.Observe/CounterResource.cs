using System.Globalization;
using System.Text;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;

namespace Coap.Bench.Observe;

/// <summary>An observable counter, as a module would write it: a change is one call.</summary>
internal sealed class CounterResource : ObservableResource
{
    private int _value;

    public int Renders { get; private set; }

    public void Increment()
    {
        Interlocked.Increment(ref _value);
        NotifyChanged();
    }

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context)
    {
        Renders++;
        var text = Volatile.Read(ref _value).ToString(CultureInfo.InvariantCulture);
        return ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.Content, Encoding.UTF8.GetBytes(text), ContentFormat.TextPlain));
    }
}
