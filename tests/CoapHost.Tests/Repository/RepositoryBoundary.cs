using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace CoapHost.Tests.Repository;

/// <summary>
/// Finds the places where a file under tests/, src/, bench/, test.sh or .ci/ reaches outside the repository: the
/// shared folder beside a checkout, a relative path that climbs above the repository's root, the main checkout of a
/// linked worktree, a home or work directory of one machine. A newcomer's clone has nothing beside it, so each such
/// place is a test or a script that works only on the machine it was written on.
/// </summary>
internal static partial class RepositoryBoundary
{
    /// <summary>What is checked, relative to the root: every tracked file below these.</summary>
    public static readonly string[] Scanned = ["tests", "src", "bench", "test.sh", ".ci"];

    /// <summary>The repository's root, as the test project saw it when it was built.</summary>
    public static string Root { get; } = Path.GetFullPath(
        typeof(RepositoryBoundary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!).TrimEnd('/');

    /// <summary>The files to check, relative to <paramref name="root"/> with '/' separators: the tracked ones
    /// (git ls-files), or, where git cannot tell (no git, an unpacked archive), every file but build output.</summary>
    public static IReadOnlyList<string> Files(string root) => TrackedFiles(root) ?? WalkedFiles(root);

    /// <summary>Every finding in one file's text, as "path:line: why: the line".</summary>
    public static IEnumerable<string> Findings(string relativePath, string text)
    {
        var depth = relativePath.Count(c => c == '/');
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (Reason(lines[i], depth) is { } reason)
            {
                yield return $"{relativePath}:{i + 1}: {reason}: {lines[i].Trim()}";
            }
        }
    }

    /// <summary>Why one line of a file <paramref name="depth"/> directories below the root reaches outside the
    /// repository, or null.</summary>
    public static string? Reason(string line, int depth)
    {
        if (SharedFolder().IsMatch(line))
        {
            return "names the shared folder beside the repository";
        }

        if (line.Contains(WorktreeCommonDir, StringComparison.Ordinal))
        {
            return "reaches the main checkout of a linked worktree";
        }

        if (AboveRoot().IsMatch(line))
        {
            return "climbs above the repository's root";
        }

        if (MachinePath().IsMatch(line))
        {
            return "names a directory of one machine";
        }

        // A relative path is taken from the file's own directory (MSBuild's $(MSBuildThisFileDirectory), a script's
        // $(dirname "$0")): more leading ".." than the file is deep leaves the root.
        var normalized = line
            .Replace("$(MSBuildThisFileDirectory)", string.Empty, StringComparison.Ordinal)
            .Replace("$(MSBuildProjectDirectory)/", string.Empty, StringComparison.Ordinal)
            .Replace("$(dirname \"$0\")/", string.Empty, StringComparison.Ordinal)
            .Replace("$(dirname \"$0\")", ".", StringComparison.Ordinal);
        foreach (Match match in LeadingParents().Matches(normalized))
        {
            if (match.Groups["up"].Captures.Count > depth)
            {
                return "a relative path climbs above the repository's root";
            }
        }

        return null;
    }

    /// <summary>git's option that names the main checkout's .git of a linked worktree (in pieces, so that this file
    /// does not match its own check).</summary>
    private const string WorktreeCommonDir = "--git-common" + "-dir";

    /// <summary>".." followed by the folder "shared", as a path or as Path.Combine arguments.</summary>
    [GeneratedRegex("""\.\.(?:[/\\]|"\s*,\s*")shared\b""", RegexOptions.IgnoreCase)]
    private static partial Regex SharedFolder();

    /// <summary>The root (a variable holding it, the working directory, git's top level) followed by "/..".</summary>
    [GeneratedRegex("""(?:\$\{?\w*ROOT\w*\}?|\$\{?PWD\}?|\$\(pwd\)|--show-toplevel\)"?)/\.\.(?![\w.])""")]
    private static partial Regex AboveRoot();

    /// <summary>An absolute path into a home or work directory.</summary>
    [GeneratedRegex("""(?<![\w.~-])/(?:work|home|Users)/\w""")]
    private static partial Regex MachinePath();

    /// <summary>A run of ".." segments at the start of a path: after a quote, a blank, '=', ';', ',', '(', '[', '>'
    /// or ':', or at the start of the line.</summary>
    [GeneratedRegex("""(?<=^|[\s"'`=;,(\[>:])(?:(?<up>\.\.)(?:[/\\]|(?=[\s"'`;,)\]<]|$)))+""")]
    private static partial Regex LeadingParents();

    private static List<string>? TrackedFiles(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["ls-files", "-z", "--", .. Scanned])
            {
                start.ArgumentList.Add(argument);
            }

            using var git = Process.Start(start)!;
            var errors = git.StandardError.ReadToEndAsync();
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            _ = errors.Result;
            return git.ExitCode == 0 ? [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries)] : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static List<string> WalkedFiles(string root)
    {
        var files = new List<string>();
        foreach (var name in Scanned)
        {
            var path = Path.Combine(root, name);
            if (File.Exists(path))
            {
                files.Add(name);
            }
            else if (Directory.Exists(path))
            {
                Walk(root, path, files);
            }
        }

        return files;
    }

    private static void Walk(string root, string directory, List<string> files)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            files.Add(Path.GetRelativePath(root, file).Replace('\\', '/'));
        }

        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            if (Path.GetFileName(sub) is not ("bin" or "obj" or "TestResults" or "BenchmarkDotNet.Artifacts" or ".git"))
            {
                Walk(root, sub, files);
            }
        }
    }
}
