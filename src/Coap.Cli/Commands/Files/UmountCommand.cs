using System.CommandLine;
using System.Diagnostics;

namespace Coap.Cli.Commands.Files;

/// <summary>umount MOUNTPOINT: ends a <c>coap mount</c> with <c>fusermount3 -u</c>; the mount process then exits.</summary>
internal static class UmountCommand
{
    public static Command Create(CliConsole console)
    {
        var mountPoint = new Argument<string>("mountpoint") { Description = "The directory a coap mount is mounted on." };
        var command = new Command("umount", "Unmount a directory mounted with coap mount (fusermount3 -u).") { mountPoint };
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var info = new ProcessStartInfo("fusermount3") { UseShellExecute = false, RedirectStandardError = true };
                info.ArgumentList.Add("-u");
                info.ArgumentList.Add(result.GetRequiredValue(mountPoint));
                Process process;
                try
                {
                    process = Process.Start(info) ?? throw new UsageException("cannot start fusermount3");
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    throw new UsageException("fusermount3 is not installed (Debian package fuse3)");
                }

                using (process)
                {
                    var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                    await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                    if (process.ExitCode != 0)
                    {
                        console.ReportError(errors.Trim().Replace("fusermount3: ", string.Empty, StringComparison.Ordinal));
                        return ExitCode.Usage;
                    }

                    return ExitCode.Success;
                }
            },
            cancellationToken));
        return command;
    }
}
