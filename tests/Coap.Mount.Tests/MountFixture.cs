namespace Coap.Mount.Tests;

/// <summary>One file service and one mount of it for a test class; nothing is started where the FUSE tests are skipped.</summary>
public sealed class MountFixture : IAsyncLifetime
{
    private FileHost? _host;
    private MountedDirectory? _mount;

    public FileHost Host => _host!;

    public MountedDirectory Mount => _mount!;

    public async Task InitializeAsync()
    {
        if (FuseFactAttribute.Skipped)
        {
            return;
        }

        _host = await FileHost.StartAsync();
        _mount = await MountedDirectory.StartAsync(_host.Uri);
    }

    public async Task DisposeAsync()
    {
        if (_mount is not null)
        {
            await _mount.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
