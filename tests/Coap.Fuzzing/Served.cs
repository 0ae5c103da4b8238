namespace Coap.Fuzzing;

/// <summary>
/// The resources of the host's default mounts, and the small pools of names the fuzzer draws from so that requests
/// meet each other's state: a handful of directories and files below /files (among them "escape" and "outlink.txt",
/// links a test may plant that lead outside the root), and path segments the file service must refuse.
/// </summary>
public static class Served
{
    public const string Files = "files";
    public const string Time = "time";
    public const string PubSub = "ps";
    public const string Dns = "dns";

    public static readonly string[][] Directories = [[], ["d0"], ["d1"], ["d0", "d2"], ["escape"]];

    public static readonly string[] FileNames = ["f0.txt", "f1.cbor", "f2.bin", "f3.json", "outlink.txt"];

    /// <summary>
    /// Segments a file service must refuse or treat as plain names (RFC 3986 dot segments arrive as options).
    /// </summary>
    public static readonly string[] OddSegments =
    [
        "..", ".", "", ".hidden", "%2e%2e", "a/b", "a\0b", "é", "~", new string('n', 255), new string('n', 256),
        ".f0.txt~0123456789abcdef.upload",
    ];

    /// <summary>The ETag of every empty directory (the file service's FNV-1a offset basis).</summary>
    public static readonly byte[] EmptyDirectoryTag = Convert.FromHexString("CBF29CE484222325");

    /// <summary>"/files/{dir}/{name}" as Uri-Path segments.</summary>
    public static string[] File(string[] directory, string name) => [Files, .. directory, name];

    /// <summary>"/files/{dir}/" as Uri-Path segments (the trailing empty segment is the slash).</summary>
    public static string[] Directory(string[] directory) => [Files, .. directory, ""];
}
