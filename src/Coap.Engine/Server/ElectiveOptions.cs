using Coap.Engine.Protocol;

namespace Coap.Engine.Server;

/// <summary>
/// Drops the elective options a server must treat as unrecognized, and so ignore (RFC 7252 §5.4.1): one whose value
/// is outside its defined length (§5.4.3; a 4-byte Observe, RFC 7641 §2) and every repetition of one that is not
/// repeatable (§5.4.5). Critical ones are refused by <see cref="CriticalOptions"/> before this runs.
/// </summary>
internal static class ElectiveOptions
{
    public static void DropMalformed(CoapOptionList options)
    {
        var previous = -1;
        for (var i = 0; i < options.Count;)
        {
            var option = options[i];
            var number = option.Number;
            var repeated = number == previous;
            previous = number;
            if (!OptionNumber.IsCritical(number) && OptionDefinition.Find(number) is { } definition
                && (option.Value.Length < definition.MinLength || option.Value.Length > definition.MaxLength || (repeated && !definition.Repeatable)))
            {
                options.RemoveAt(i);
                continue;
            }

            i++;
        }
    }
}
