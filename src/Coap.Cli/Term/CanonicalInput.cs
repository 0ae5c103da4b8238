namespace Coap.Cli.Term;

/// <summary>
/// Standard input made safe for a pseudo-terminal in canonical mode whose only special characters are VEOF (Ctrl-D)
/// and VLNEXT (Ctrl-V), as <see cref="ExecTerm.Line"/> sets it up: every Ctrl-D or Ctrl-V byte is quoted with
/// Ctrl-V, a line is pushed on to the reader with Ctrl-D before it reaches the kernel's 4095-byte canonical limit
/// (past which Linux drops bytes), and the end is a Ctrl-D at the start of a line, which the reader sees as end of file.
/// </summary>
internal sealed class CanonicalInput
{
    public const byte EndOfFile = 0x04;
    public const byte LiteralNext = 0x16;

    /// <summary>The longest run of bytes without a newline before it is pushed.</summary>
    public const int MaxLine = 1024;

    private int _line;

    /// <summary>Appends <paramref name="data"/>, quoted and pushed as needed, to <paramref name="output"/>.</summary>
    public void Encode(ReadOnlySpan<byte> data, List<byte> output)
    {
        foreach (var value in data)
        {
            if (_line == MaxLine)
            {
                output.Add(EndOfFile);
                _line = 0;
            }

            if (value is EndOfFile or LiteralNext)
            {
                output.Add(LiteralNext);
            }

            output.Add(value);
            _line = value == (byte)'\n' ? 0 : _line + 1;
        }
    }

    /// <summary>Appends the end of file: a push of the unfinished line, if any, then a Ctrl-D on an empty line.</summary>
    public void End(List<byte> output)
    {
        if (_line > 0)
        {
            output.Add(EndOfFile);
            _line = 0;
        }

        output.Add(EndOfFile);
    }
}
