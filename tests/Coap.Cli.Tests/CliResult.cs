using System.Text;

namespace Coap.Cli.Tests;

/// <summary>What one run of the command line produced.</summary>
internal sealed record CliResult(int ExitCode, byte[] Output, string Error)
{
    public string Text => Encoding.UTF8.GetString(Output);
}
