using System.Security.Cryptography;
using System.Text;

namespace Fuzz.Tests;

/// <summary>A SHA-256 over every path, kind and file content below a directory: equal hashes, nothing changed.</summary>
internal static class DirectoryHash
{
    public static string Of(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var everything = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", everything).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(directory, path) + (Directory.Exists(path) ? "/" : "")));
            if (File.Exists(path))
            {
                hash.AppendData(File.ReadAllBytes(path));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
