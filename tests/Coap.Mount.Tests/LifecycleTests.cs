using Coap.Testing.Programs;

namespace Coap.Mount.Tests;

/// <summary>How a mount ends: SIGTERM, coap umount, kill -9 (auto_unmount); read-only mounts; a mount that cannot start.</summary>
public sealed class LifecycleTests
{
    private static readonly string Coap = Path.Combine(AppContext.BaseDirectory, "coap.dll");
    private static readonly TimeSpan Gone = TimeSpan.FromSeconds(10);

    [FuseFact]
    public async Task SIGTERM_unmounts_cleanly_and_the_process_exits_0()
    {
        await using var host = await FileHost.StartAsync();
        await using var mount = await MountedDirectory.StartAsync(host.Uri);

        mount.Signal(15);
        using var wait = new CancellationTokenSource(Gone);
        await mount.Process.WaitForExitAsync(wait.Token);

        Assert.Equal(0, mount.Process.ExitCode);
        Assert.False(MountedDirectory.IsMounted(mount.Path));
        Assert.Contains($"SIGTERM: unmounting {mount.Path}", mount.Log, StringComparison.Ordinal);
        Assert.Contains($"unmounted {mount.Path}", mount.Log, StringComparison.Ordinal);
    }

    [FuseFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_mount_over_coaps_with_a_psk_identity_reads_and_writes()
    {
        await using var host = await FileHost.StartSecureAsync("alice", "mount-secret");
        await File.WriteAllTextAsync(host.PathOf("hello.txt"), "over DTLS\n");
        await using var mount = await MountedDirectory.StartAsync(host.Uri, "-u", "alice", "-k", "mount-secret");

        var read = await mount.ShellAsync("cat hello.txt");
        var write = await mount.ShellAsync("printf 'written through the mount\\n' > new.txt");

        Assert.Equal("over DTLS\n", read.StandardOutput);
        Assert.True(write.ExitCode == 0, write.StandardError);
        Assert.Equal("written through the mount\n", await File.ReadAllTextAsync(host.PathOf("new.txt")));
    }

    [FuseFact]
    public async Task SIGINT_unmounts_cleanly_too()
    {
        await using var host = await FileHost.StartAsync();
        await using var mount = await MountedDirectory.StartAsync(host.Uri);

        mount.Signal(2);
        using var wait = new CancellationTokenSource(Gone);
        await mount.Process.WaitForExitAsync(wait.Token);

        Assert.Equal(0, mount.Process.ExitCode);
        Assert.False(MountedDirectory.IsMounted(mount.Path));
        Assert.Contains($"SIGINT: unmounting {mount.Path}", mount.Log, StringComparison.Ordinal);
    }

    [FuseFact]
    public async Task A_server_that_stops_answering_gives_EIO_and_the_mount_keeps_running()
    {
        var host = await FileHost.StartAsync();
        Directory.CreateDirectory(host.PathOf("later"));
        await using var mount = await MountedDirectory.StartAsync(host.Uri, "--timeout", "1");
        await host.DisposeAsync();

        var listing = await mount.ShellAsync("ls later");
        // The mount logs before it answers the kernel, but this process reads its stderr on a thread of its own.
        await mount.WaitUntilAsync(() => mount.Log.Contains("no response", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(10));

        Assert.NotEqual(0, listing.ExitCode);
        Assert.Contains("Input/output error", listing.StandardError, StringComparison.Ordinal);
        Assert.False(mount.Process.HasExited);
        Assert.True(MountedDirectory.IsMounted(mount.Path));
        Assert.Contains("no response", mount.Log, StringComparison.OrdinalIgnoreCase);
    }

    [FuseFact]
    public async Task Coap_umount_ends_the_mount_and_its_process()
    {
        await using var host = await FileHost.StartAsync();
        await using var mount = await MountedDirectory.StartAsync(host.Uri);

        var umount = await Tool.RunAsync("dotnet", [Coap, "umount", mount.Path]);
        using var wait = new CancellationTokenSource(Gone);
        await mount.Process.WaitForExitAsync(wait.Token);
        var again = await Tool.RunAsync("dotnet", [Coap, "umount", mount.Path]);

        Assert.True(umount.ExitCode == 0, umount.StandardError);
        Assert.False(MountedDirectory.IsMounted(mount.Path));
        Assert.Equal(0, mount.Process.ExitCode);
        Assert.Equal(2, again.ExitCode);
        Assert.StartsWith("coap: ", again.StandardError, StringComparison.Ordinal);
    }

    [FuseFact]
    public async Task Kill_9_leaves_no_dead_mount_behind()
    {
        await using var host = await FileHost.StartAsync();
        await using var mount = await MountedDirectory.StartAsync(host.Uri);

        mount.Signal(9);
        await mount.WaitUntilAsync(() => !MountedDirectory.IsMounted(mount.Path), Gone);

        Assert.False(MountedDirectory.IsMounted(mount.Path), "auto_unmount did not remove the mount of a killed process");
    }

    [FuseFact]
    public async Task A_read_only_mount_reads_but_refuses_every_change()
    {
        await using var host = await FileHost.StartAsync();
        await File.WriteAllTextAsync(host.PathOf("r.txt"), "read me");
        await using var mount = await MountedDirectory.StartAsync(host.Uri, "-o", "ro");

        var read = await mount.ShellAsync("cat r.txt");
        var write = await mount.ShellAsync("echo x > r.txt");
        var create = await mount.ShellAsync("mkdir d");

        Assert.Equal("read me", read.StandardOutput);
        Assert.Contains("Read-only file system", write.StandardError, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", create.StandardError, StringComparison.Ordinal);
        Assert.Equal("read me", await File.ReadAllTextAsync(host.PathOf("r.txt")));
        Assert.False(Directory.Exists(host.PathOf("d")));
    }

    [FuseFact]
    public async Task Mounting_a_directory_the_server_does_not_have_fails_with_4_and_mounts_nothing()
    {
        await using var host = await FileHost.StartAsync();
        var point = Directory.CreateTempSubdirectory("mount-point-").FullName;
        try
        {
            var result = await Tool.RunAsync("dotnet", [Coap, "mount", host.Uri + "missing/", point]);

            Assert.Equal(4, result.ExitCode);
            Assert.Contains("4.04 Not Found", result.StandardError, StringComparison.Ordinal);
            Assert.False(MountedDirectory.IsMounted(point));
        }
        finally
        {
            Directory.Delete(point);
        }
    }

    [FuseFact]
    public async Task Without_foreground_coap_mount_returns_once_mounted_and_keeps_serving()
    {
        await using var host = await FileHost.StartAsync();
        await File.WriteAllTextAsync(host.PathOf("bg.txt"), "background");
        var point = Directory.CreateTempSubdirectory("mount-point-").FullName;
        try
        {
            var result = await Tool.RunAsync("dotnet", [Coap, "mount", host.Uri, point, "--log", point + ".log"]);

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.True(MountedDirectory.IsMounted(point));
            Assert.Equal("background", await File.ReadAllTextAsync(Path.Combine(point, "bg.txt")));
        }
        finally
        {
            await Tool.RunAsync("fusermount3", ["-u", point]);
            File.Delete(point + ".log");
        }

        Assert.False(MountedDirectory.IsMounted(point));
        Directory.Delete(point);
    }

    [Fact]
    public async Task An_unknown_mount_option_is_a_usage_error()
    {
        var result = await Tool.RunAsync("dotnet", [Coap, "mount", "coap://127.0.0.1/files/", Path.GetTempPath(), "-o", "sideways"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown mount option 'sideways'", result.StandardError, StringComparison.Ordinal);
    }
}
