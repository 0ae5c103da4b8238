namespace Coap.Engine.Hosting;

/// <summary>
/// The rule every module's <c>Path</c> setting follows: fixed segments only (no route parameters, no braces, no empty
/// segment such as "a//b"), so that the route it becomes can always be parsed; leading and trailing slashes are ignored.
/// </summary>
public static class ModulePath
{
    /// <summary>
    /// Null when <paramref name="path"/> is a valid mount path, else the start-up error naming <paramref name="key"/>;
    /// <paramref name="allowRoot"/> lets "/" (the root itself) through.
    /// </summary>
    public static string? Check(string key, string? path, bool allowRoot = false)
    {
        var trimmed = path?.Trim('/') ?? string.Empty;
        if (path is not null && (IsFixed(trimmed) || (allowRoot && trimmed.Length == 0)))
        {
            return null;
        }

        return allowRoot
            ? $"{key} must be a path without parameters or empty segments, or '/' (got '{path}')."
            : $"{key} must be a non-empty path without parameters or empty segments (got '{path}').";
    }

    private static bool IsFixed(string trimmed) =>
        !string.IsNullOrWhiteSpace(trimmed)
        && !trimmed.Contains('{', StringComparison.Ordinal)
        && !trimmed.Contains('}', StringComparison.Ordinal)
        && !trimmed.Split('/').Any(segment => segment.Length == 0);
}
