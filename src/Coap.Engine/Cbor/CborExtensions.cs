namespace System.Formats.Cbor;

/// <summary>Lets a read return its value and then account for the item in one expression.</summary>
internal static class CborExtensions
{
    public static T Also<T>(this T value, Action action)
    {
        action();
        return value;
    }
}
