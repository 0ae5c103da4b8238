using Coap.Engine.Hosting;
using Microsoft.Extensions.Options;

namespace Services.Time;

/// <summary>Checks "Modules:Time" at start-up and names each bad key.</summary>
internal sealed class TimeOptionsValidator : IValidateOptions<TimeOptions>
{
    public ValidateOptionsResult Validate(string? name, TimeOptions options)
    {
        var failures = new List<string>();
        if (ModulePath.Check($"{TimeOptions.SectionName}:Path", options.Path) is { } path)
        {
            failures.Add(path);
        }

        if (options.TaiUtcOffset is < 0 or > 1000)
        {
            failures.Add($"{TimeOptions.SectionName}:TaiUtcOffset must be between 0 and 1000 seconds (got {options.TaiUtcOffset}).");
        }

        if (options.NotifyInterval < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{TimeOptions.SectionName}:NotifyInterval must be at least 10 ms (got {options.NotifyInterval}).");
        }

        if (options.ExtendedContentFormat is < 0 or > ushort.MaxValue or 0 or 60)
        {
            failures.Add($"{TimeOptions.SectionName}:ExtendedContentFormat must be a Content-Format number other than 0 and 60 (got {options.ExtendedContentFormat}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
