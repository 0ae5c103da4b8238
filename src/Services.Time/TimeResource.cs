using System.Text;
using Coap.Engine.Hosting;
using Coap.Engine.Observe;
using Coap.Engine.Protocol;
using Coap.Engine.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Services.Time;

/// <summary>
/// The current time: CBOR (tag 1 by default, RFC 9581 tag 1001 with ?format=extended or ?scale=tai) or text/plain
/// decimal UNIX seconds, always with Max-Age 0 because a cached time is a wrong time. Observable: a tick every
/// NotifyInterval, aligned to the interval's boundaries, notifies the observers; without observers a tick sends nothing.
/// </summary>
internal sealed class TimeResource : ObservableResource, IDisposable
{
    private readonly TimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _ticker;

    public TimeResource(IOptions<TimeOptions> options, TimeProvider time, ILogger<TimeResource> logger)
    {
        _options = options.Value;
        _time = time;
        var interval = _options.NotifyInterval;
        var sinceBoundary = TimeSpan.FromTicks((time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks % interval.Ticks);
        _ticker = time.CreateTimer(logger, "notifying the time's observers", Tick, interval - sinceBoundary, interval);
    }

    public void Dispose() => _ticker.Dispose();

    public ResourceMetadata Metadata => new()
    {
        ResourceTypes = ["core.time"],
        Interfaces = ["core.s"],
        ContentFormats = _options.ExtendedContentFormat is { } extended ? [ContentFormat.TextPlain, ContentFormat.Cbor, extended] : [ContentFormat.TextPlain, ContentFormat.Cbor],
        Title = "Current time",
        Observable = true,
    };

    private void Tick()
    {
        if (Observers.Count > 0)
        {
            NotifyChanged();
        }
    }

    protected override ValueTask<CoapMessage> OnGet(CoapRequestContext context) => ValueTask.FromResult(Render(context.Request));

    private CoapMessage Render(CoapMessage request)
    {
        if (!TimeQuery.TryParse(request, out var query, out var error))
        {
            return CoapMessage.CreateResponse(CoapCode.BadRequest, Encoding.UTF8.GetBytes(error));
        }

        var ticks = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder) + (query.Tai ? _options.TaiUtcOffset : 0);
        var nanoseconds = remainder * 100;
        var accept = request.Accept;
        CoapMessage response;
        if (accept == ContentFormat.TextPlain)
        {
            response = CoapMessage.CreateResponse(CoapCode.Content, TimeRepresentation.Text(seconds, nanoseconds, _options.Precision), ContentFormat.TextPlain);
        }
        else if (query.Extended || query.Tai || (accept is { } format && format == _options.ExtendedContentFormat))
        {
            response = CoapMessage.CreateResponse(CoapCode.Content, TimeRepresentation.Extended(seconds, nanoseconds, query.Tai), accept ?? ContentFormat.Cbor);
        }
        else
        {
            response = CoapMessage.CreateResponse(CoapCode.Content, TimeRepresentation.Epoch(seconds, nanoseconds, _options.Precision), ContentFormat.Cbor);
        }

        response.MaxAge = 0;
        return response;
    }
}
