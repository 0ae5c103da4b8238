namespace CoapHost.Tests.Repository;

/// <summary>
/// The repository stands on its own: no test or script reads anything outside it (a newcomer's clone has no shared
/// folder beside it). Scans every tracked file under tests/, src/, bench/, test.sh and .ci/.
/// </summary>
public sealed class SelfContainedTests
{
    [Fact]
    public void No_test_or_script_reaches_outside_the_repository()
    {
        var root = RepositoryBoundary.Root;
        var files = RepositoryBoundary.Files(root);
        var findings = new List<string>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(root, file));
            if (Array.IndexOf(bytes, (byte)0) < 0)
            {
                findings.AddRange(RepositoryBoundary.Findings(file, System.Text.Encoding.UTF8.GetString(bytes)));
            }
        }

        Assert.Contains("test.sh", files);
        Assert.True(
            findings.Count == 0,
            $"{findings.Count} place(s) reach outside the repository at {root}; a fresh clone has nothing beside it, so "
            + "put what they need inside the repository (or make it an optional extra that is skipped when absent):\n"
            + string.Join('\n', findings));
    }

    // The samples are put together from pieces so that this file does not match its own check.
    [Theory]
    [InlineData("bench/bench-lib.sh", "SHARED=\"$ROOT/" + ".." + "/shared\"")]
    [InlineData("tests/A/B.cs", "Path.Combine(directory.FullName, \"" + "..\", \"" + "shared\", \"testdata\")")]
    [InlineData("bench/bench-lib.sh", "common=\"$(git rev-parse --git-common" + "-dir)\"")]
    [InlineData("bench/x.sh", "cd \"$ROOT/" + "..\"")]
    [InlineData("bench/x.sh", "gcc -o x " + "../" + "../tools/x.c")]
    [InlineData("test.sh", "cd " + "..")]
    [InlineData("tests/A/A.csproj", "<Compile Include=\"$(MSBuildThisFileDirectory)" + "../" + "../" + "../x.cs\" />")]
    [InlineData("tests/A/B.cs", "var data = \"/ho" + "me/someone/data.json\";")]
    public void A_line_that_reaches_outside_is_found(string path, string line)
    {
        Assert.NotEmpty(RepositoryBoundary.Findings(path, line));
    }

    [Theory]
    [InlineData("tests/A/A.csproj", "<ProjectReference Include=\"../../src/X/X.csproj\" />")]
    [InlineData("tests/A/A.csproj", "<_Parameter2>$(MSBuildThisFileDirectory)../B/bin/</_Parameter2>")]
    [InlineData(".ci/run", "cd \"$(dirname \"$0\")/..\"")]
    [InlineData("bench/x.sh", "ROOT=\"$(cd \"$(dirname \"$0\")/..\" && pwd)\"")]
    [InlineData("tests/A/B/C.cs", "var back = Path.Combine(_local, \"..\", \"x\");")]
    [InlineData("tests/A/B.cs", "[InlineData(\"coap://h/a/../../x\")]")]
    [InlineData("src/A/B.cs", "var slots = [.. counts];")]
    [InlineData("bench/README.md", "see [the design](../docs/architecture.md); tokens 2..8")]
    public void A_line_that_stays_inside_is_not_found(string path, string line)
    {
        Assert.Empty(RepositoryBoundary.Findings(path, line));
    }
}
