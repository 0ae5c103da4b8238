namespace Services.Terminal.Pty;

/// <summary>How a child ended, as a shell reports it: its exit code, or 128 + the signal that killed it.</summary>
internal static class ExitStatus
{
    /// <summary>Decodes waitpid's status word (WIFEXITED / WEXITSTATUS / WTERMSIG).</summary>
    public static int FromWaitStatus(int status)
    {
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
