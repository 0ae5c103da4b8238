using System.Reflection;
using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>
/// A resource with one method per request code (RFC 7252 §5.8, RFC 8132). Methods it does not override answer
/// 4.05 Method Not Allowed, and so does a Block1 upload to one at its first block (<see cref="RefuseBeforeBody"/>).
/// </summary>
public abstract class CoapResource : ICoapResource
{
    private static readonly string[] MethodNames =
        [nameof(OnGet), nameof(OnPost), nameof(OnPut), nameof(OnDelete), nameof(OnFetch), nameof(OnPatch), nameof(OnIPatch)];

    /// <summary>Bit N set: the subclass overrides the method of code 0.0N.</summary>
    private readonly int _implemented;

    protected CoapResource()
    {
        _implemented = ImplementedMethods(GetType());
    }

    public ValueTask<CoapMessage> HandleAsync(CoapRequestContext context) => context.Request.Code.Value switch
    {
        1 => OnGet(context),
        2 => OnPost(context),
        3 => OnPut(context),
        4 => OnDelete(context),
        5 => OnFetch(context),
        6 => OnPatch(context),
        7 => OnIPatch(context),
        _ => MethodNotAllowed(),
    };

    /// <summary>4.05 for a method the subclass does not override; an override may add its own refusals (a 4.04).</summary>
    public virtual CoapMessage? RefuseBeforeBody(CoapRequestContext context)
    {
        var code = context.Request.Code.Value;
        return code < MethodNames.Length + 1 && (_implemented & (1 << code)) != 0 ? null : CoapMessage.CreateResponse(CoapCode.MethodNotAllowed);
    }

    protected virtual ValueTask<CoapMessage> OnGet(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnPost(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnPut(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnDelete(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnFetch(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnPatch(CoapRequestContext context) => MethodNotAllowed();

    protected virtual ValueTask<CoapMessage> OnIPatch(CoapRequestContext context) => MethodNotAllowed();

    private static ValueTask<CoapMessage> MethodNotAllowed() =>
        ValueTask.FromResult(CoapMessage.CreateResponse(CoapCode.MethodNotAllowed));

    /// <summary>Which of the On… methods <paramref name="type"/> overrides, read once per resource by reflection.</summary>
    private static int ImplementedMethods(Type type)
    {
        var implemented = 0;
        for (var i = 0; i < MethodNames.Length; i++)
        {
            var method = type.GetMethod(MethodNames[i], BindingFlags.Instance | BindingFlags.NonPublic, [typeof(CoapRequestContext)]);
            if (method is not null && method.DeclaringType != typeof(CoapResource))
            {
                implemented |= 1 << (i + 1);
            }
        }

        return implemented;
    }
}
