using System.Runtime.InteropServices;

namespace Coap.Mount.Tests;

/// <summary>
/// A test that needs FUSE: /dev/fuse usable, libfuse3 and fusermount3 installed. Where one is missing the test is
/// skipped with that reason, decided when the tests are discovered (xunit 2 has no skip at run time) — unless
/// COAP_REQUIRE_FUSE=1 (set by .ci/run), where it runs and fails with the same reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FuseFactAttribute : FactAttribute
{
    public const string RequireVariable = "COAP_REQUIRE_FUSE";

    public FuseFactAttribute()
    {
        Skip = SkipReason(MissingReason(), Environment.GetEnvironmentVariable(RequireVariable));
    }

    /// <summary>Why FUSE tests skip, given what is missing and the value of <see cref="RequireVariable"/>; null: they run.</summary>
    public static string? SkipReason(string? missing, string? required) =>
        missing is null || required == "1" ? null : $"FUSE is not usable here: {missing} (set {RequireVariable}=1 to fail instead)";

    /// <summary>Whether the FUSE tests are skipped on this machine.</summary>
    public static bool Skipped => SkipReason(MissingReason(), Environment.GetEnvironmentVariable(RequireVariable)) is not null;

    /// <summary>Why a mount cannot work on this machine, or null when it can.</summary>
    public static string? MissingReason()
    {
        if (!File.Exists("/dev/fuse"))
        {
            return "/dev/fuse does not exist";
        }

        try
        {
            using var device = File.Open("/dev/fuse", FileMode.Open, FileAccess.ReadWrite);
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            return $"/dev/fuse cannot be opened ({error.Message})";
        }

        if (!NativeLibrary.TryLoad("libfuse3.so.3", out var library))
        {
            return "libfuse3.so.3 is not installed (Debian package libfuse3-3)";
        }

        NativeLibrary.Free(library);
        return File.Exists("/usr/bin/fusermount3") || File.Exists("/bin/fusermount3") ? null : "fusermount3 is not installed (Debian package fuse3)";
    }
}
