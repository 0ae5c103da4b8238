using Coap.Engine.Hosting;
using Microsoft.Extensions.Options;

namespace Services.FileServer;

/// <summary>Checks "Modules:FileServer" at start-up and names each bad key.</summary>
internal sealed class FileServerOptionsValidator : IValidateOptions<FileServerOptions>
{
    public ValidateOptionsResult Validate(string? name, FileServerOptions options)
    {
        var failures = new List<string>();
        if (ModulePath.Check($"{FileServerOptions.SectionName}:Path", options.Path, allowRoot: true) is { } path)
        {
            failures.Add(path);
        }

        if (string.IsNullOrWhiteSpace(options.Root))
        {
            failures.Add($"{FileServerOptions.SectionName}:Root must name a directory.");
        }
        else if (File.Exists(options.Root))
        {
            failures.Add($"{FileServerOptions.SectionName}:Root must be a directory, not a file (got '{options.Root}').");
        }

        if (options.MaxFileSize is <= 0)
        {
            failures.Add($"{FileServerOptions.SectionName}:MaxFileSize must be a positive number of bytes (got {options.MaxFileSize}).");
        }

        if (options.MaxTotalBytes is <= 0)
        {
            failures.Add($"{FileServerOptions.SectionName}:MaxTotalBytes must be a positive number of bytes (got {options.MaxTotalBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
