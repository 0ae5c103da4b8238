namespace System.Formats.Cbor;

/// <summary>Shortest lossless float encodings (RFC 8949 §4.2.2): half if exact, else single if exact, else double.</summary>
internal static class CborFloat
{
    public static bool FitsHalf(double value) => double.IsNaN(value) || (double)(Half)value == value;

    public static bool FitsSingle(double value) => double.IsNaN(value) || (double)(float)value == value;
}
