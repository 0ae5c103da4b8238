using Coap.Cli.Mount;
using Coap.Testing.Programs;

namespace Coap.Mount.Tests;

/// <summary>The mount table is watched, not re-read on a timer: a mount wakes the watch (root, as the FUSE tests).</summary>
public sealed class MountTableWatchTests
{
    [Fact]
    public async Task A_mount_wakes_the_watch_and_shows_in_the_table()
    {
        var point = Directory.CreateTempSubdirectory("watched-").FullName;
        try
        {
            using var watch = new MountTableWatch();
            Assert.False(MountTable.IsMounted(point));
            var change = watch.NextChangeAsync(TimeSpan.FromSeconds(30));

            var mount = await Tool.RunAsync("mount", ["-t", "tmpfs", "-o", "size=1m", "watched", point]);

            Assert.True(mount.ExitCode == 0, mount.StandardError);
            Assert.True(await change);
            Assert.True(MountTable.IsMounted(point));
        }
        finally
        {
            await Tool.RunAsync("umount", [point]);
            Directory.Delete(point);
        }
    }
}
