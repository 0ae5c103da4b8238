using System.Runtime.InteropServices;
using System.Text;

namespace Services.Terminal.Pty;

/// <summary>
/// A child process on a fresh pseudo-terminal. The master is opened with posix_openpt and the child started with
/// posix_spawn in a new session (POSIX_SPAWN_SETSID, applied before the file actions), opening the slave as its
/// standard input without O_NOCTTY so that it becomes the controlling terminal, with every signal reset to its default
/// and none blocked, and every other descriptor closed. No managed code runs in a forked child. This side keeps a slave
/// descriptor of its own until the child has been reaped, so that the master reports end of file (EIO) only once
/// nobody can write any more, and never before the child has opened the slave.
/// </summary>
internal sealed unsafe class PseudoTerminal : IDisposable
{
    private int _slave;
    private int _master;

    private PseudoTerminal(int master, int slave, int processId)
    {
        _master = master;
        _slave = slave;
        ProcessId = processId;
    }

    /// <summary>The master side, non-blocking.</summary>
    public int Master => _master;

    /// <summary>The child's process id, which is also its session and process group id.</summary>
    public int ProcessId { get; }

    /// <summary>Starts <paramref name="command"/> on a new pseudo-terminal of the given size.</summary>
    /// <exception cref="IOException">The terminal could not be made or the program not started.</exception>
    public static PseudoTerminal Start(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, ushort rows, ushort columns)
    {
        var master = Native.PosixOpenPt(Native.ORdWr | Native.ONoCtty | Native.OCloExec | Native.ONonBlock);
        if (master < 0)
        {
            throw Failure("posix_openpt", Marshal.GetLastPInvokeError());
        }

        var slave = -1;
        try
        {
            if (Native.GrantPt(master) != 0 || Native.UnlockPt(master) != 0)
            {
                throw Failure("grantpt/unlockpt", Marshal.GetLastPInvokeError());
            }

            var slavePath = SlaveName(master);
            SetSize(master, rows, columns);
            slave = Native.Open(slavePath, Native.ORdWr | Native.ONoCtty | Native.OCloExec);
            if (slave < 0)
            {
                throw Failure("open " + slavePath, Marshal.GetLastPInvokeError());
            }

            var pid = Spawn(command, arguments, environment, slavePath);
            return new PseudoTerminal(master, slave, pid);
        }
        catch
        {
            if (slave >= 0)
            {
                Native.Close(slave);
            }

            Native.Close(master);
            throw;
        }
    }

    /// <summary>Sets the window size (TIOCSWINSZ); the kernel sends SIGWINCH to the foreground process group.</summary>
    public void Resize(ushort rows, ushort columns) => SetSize(_master, rows, columns);

    /// <summary>Sends a signal to every process of the child's session: its process group and the jobs it started in groups of their own.</summary>
    public void SignalSession(int signal)
    {
        Native.Kill(-ProcessId, signal);
        foreach (var member in ProcessTable.SessionMembers(ProcessId))
        {
            Native.Kill(member, signal);
        }
    }

    /// <summary>Blocks until the child ends and reaps it; returns its status as a shell reports it.</summary>
    public int WaitForExit()
    {
        int status;
        while (true)
        {
            if (Native.WaitPid(ProcessId, &status, 0) == ProcessId)
            {
                break;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error != Native.EIntr)
            {
                throw Failure("waitpid", error);
            }
        }

        return ExitStatus.FromWaitStatus(status);
    }

    /// <summary>Closes this side's slave descriptor, so that the master reads EIO once every other holder is gone.</summary>
    public void ReleaseSlave()
    {
        var slave = Interlocked.Exchange(ref _slave, -1);
        if (slave >= 0)
        {
            Native.Close(slave);
        }
    }

    public void Dispose()
    {
        ReleaseSlave();
        var master = Interlocked.Exchange(ref _master, -1);
        if (master >= 0)
        {
            Native.Close(master);
        }
    }

    private static void SetSize(int master, ushort rows, ushort columns)
    {
        var size = new Native.WinSize { Rows = rows, Columns = columns };
        if (Native.IoctlWinSize(master, Native.TiocSWinSz, &size) != 0)
        {
            throw Failure("TIOCSWINSZ", Marshal.GetLastPInvokeError());
        }
    }

    private static string SlaveName(int master)
    {
        var buffer = stackalloc byte[128];
        var error = Native.PtsNameR(master, buffer, 128);
        if (error != 0)
        {
            throw Failure("ptsname_r", error);
        }

        return Marshal.PtrToStringUTF8((nint)buffer)!;
    }

    private static int Spawn(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string slavePath)
    {
        var attributes = NativeMemory.AllocZeroed(Native.OpaqueSize);
        var actions = NativeMemory.AllocZeroed(Native.OpaqueSize);
        var signals = NativeMemory.AllocZeroed(Native.OpaqueSize);
        var strings = new List<nint>();
        try
        {
            Native.SpawnAttrInit(attributes);
            Native.FileActionsInit(actions);
            Check("posix_spawnattr_setflags", Native.SpawnAttrSetFlags(attributes, Native.PosixSpawnSetSid | Native.PosixSpawnSetSigDef | Native.PosixSpawnSetSigMask));
            Native.SigFillSet(signals);
            Check("posix_spawnattr_setsigdefault", Native.SpawnAttrSetSigDefault(attributes, signals));
            Native.SigEmptySet(signals);
            Check("posix_spawnattr_setsigmask", Native.SpawnAttrSetSigMask(attributes, signals));
            Check("posix_spawn_file_actions_addopen", Native.FileActionsAddOpen(actions, 0, slavePath, Native.ORdWr, 0));
            Check("posix_spawn_file_actions_adddup2", Native.FileActionsAddDup2(actions, 0, 1));
            Check("posix_spawn_file_actions_adddup2", Native.FileActionsAddDup2(actions, 0, 2));
            Check("posix_spawn_file_actions_addclosefrom_np", Native.FileActionsAddCloseFrom(actions, 3));

            var argv = Pointers(strings, [command, .. arguments]);
            var envp = Pointers(strings, [.. environment.Select(pair => pair.Key + "=" + pair.Value)]);
            var file = Utf8(strings, command);
            int pid;
            fixed (nint* argvPointer = argv, envpPointer = envp)
            {
                Check("posix_spawn " + command, Native.SpawnP(&pid, (byte*)file, actions, attributes, (byte**)argvPointer, (byte**)envpPointer));
            }

            return pid;
        }
        finally
        {
            Native.FileActionsDestroy(actions);
            Native.SpawnAttrDestroy(attributes);
            NativeMemory.Free(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(signals);
            foreach (var pointer in strings)
            {
                Marshal.FreeHGlobal(pointer);
            }
        }
    }

    /// <summary>A NULL-terminated array of C strings, each remembered in <paramref name="strings"/> to be freed.</summary>
    private static nint[] Pointers(List<nint> strings, IReadOnlyList<string> values)
    {
        var pointers = new nint[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            pointers[i] = Utf8(strings, values[i]);
        }

        return pointers;
    }

    private static nint Utf8(List<nint> strings, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value + "\0");
        var pointer = Marshal.AllocHGlobal(bytes.Length);
        Marshal.Copy(bytes, 0, pointer, bytes.Length);
        strings.Add(pointer);
        return pointer;
    }

    private static void Check(string call, int error)
    {
        if (error != 0)
        {
            throw Failure(call, error);
        }
    }

    private static IOException Failure(string call, int error) =>
        new($"{call} failed: {Marshal.GetPInvokeErrorMessage(error)}");
}
