using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Services.FileServer.FileSystem;

/// <summary>
/// Names of upload temp files: ".{target name, at most 48 characters}~{16 hex digits}.upload" in the target's
/// directory, so the rename that commits an upload stays on one file system. The leading dot hides them: the file
/// service never lists, serves or accepts hidden names.
/// </summary>
internal static partial class TempFile
{
    private const int MaxPrefix = 48;

    public static string NameFor(string target)
    {
        var length = Math.Min(target.Length, MaxPrefix);
        if (length > 0 && char.IsHighSurrogate(target[length - 1]))
        {
            length--;
        }

        return $".{target[..length]}~{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.upload";
    }

    public static bool IsTempName(string name) => Pattern().IsMatch(name);

    [GeneratedRegex(@"^\..*~[0-9a-f]{16}\.upload$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
