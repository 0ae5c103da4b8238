namespace Coap.Cli.Commands;

/// <summary>The command line asks for something impossible (a file that cannot be read or written); exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
