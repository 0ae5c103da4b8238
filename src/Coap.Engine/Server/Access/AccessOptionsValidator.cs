using Microsoft.Extensions.Options;

namespace Coap.Engine.Server.Access;

/// <summary>Checks the "Access" settings at start-up and names the key of each bad one.</summary>
internal sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var failures = new List<string>();
        foreach (var (group, members) in options.Groups)
        {
            if (group.Length == 0 || AllowList.Entries(group).Length != 1 || group.StartsWith('@'))
            {
                failures.Add($"Access:Groups:{group} is not a usable group name: one word, without '@', spaces or commas.");
            }

            for (var i = 0; i < members.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(members[i]))
                {
                    failures.Add($"Access:Groups:{group}:{i} is empty: a member is an identity.");
                }
            }
        }

        foreach (var (path, rule) in options.Rules)
        {
            var trimmed = path.Trim('/');
            if (trimmed.Contains('{', StringComparison.Ordinal) || trimmed.Contains('}', StringComparison.Ordinal)
                || (trimmed.Length > 0 && trimmed.Split('/').Any(segment => segment.Length == 0)))
            {
                failures.Add($"Access:Rules:{path} must be a path prefix without parameters or empty segments ('files', 'files/shared'), or '/' for everything.");
            }

            Check(failures, path, "Read", rule.Read, options.Groups);
            Check(failures, path, "Write", rule.Write, options.Groups);
            Check(failures, path, "GET", rule.Get, options.Groups);
            Check(failures, path, "FETCH", rule.Fetch, options.Groups);
            Check(failures, path, "POST", rule.Post, options.Groups);
            Check(failures, path, "PUT", rule.Put, options.Groups);
            Check(failures, path, "DELETE", rule.Delete, options.Groups);
            Check(failures, path, "PATCH", rule.Patch, options.Groups);
            Check(failures, path, "iPATCH", rule.IPatch, options.Groups);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string path, string key, string? value, Dictionary<string, List<string>> groups)
    {
        if (value is not null && AllowList.Check($"Access:Rules:{path}:{key}", value, groups) is { } failure)
        {
            failures.Add(failure);
        }
    }
}
