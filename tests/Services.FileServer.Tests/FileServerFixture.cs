using System.Security.Cryptography;
using Coap.Engine.Protocol;
using Coap.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Services.FileServer.Tests;

/// <summary>
/// The file module on a lockstep server over a fresh temp directory: "root" is served, "outside" is a sentinel tree
/// next to it that no request may change (<see cref="SentinelHash"/> before and after).
/// </summary>
internal sealed class FileServerFixture : IAsyncDisposable
{
    private readonly Action<IServiceCollection>? _configureServices;
    private ushort _mid;

    /// <param name="configureServices">Stand-ins at the module's seams (the directory sync), as <see cref="ModuleServer"/> takes them.</param>
    public FileServerFixture(bool writable = true, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        Base = Directory.CreateTempSubdirectory("fileserver-tests-").FullName;
        RootPath = Path.Join(Base, "root");
        Outside = Path.Join(Base, "outside");
        Directory.CreateDirectory(Path.Join(Outside, "nested"));
        File.WriteAllText(Path.Join(Outside, "secret.txt"), "top secret");
        File.WriteAllText(Path.Join(Outside, "nested", "deep.txt"), "deeper secret");
        Settings = new Dictionary<string, string?>
        {
            ["Modules:FileServer:Root"] = RootPath,
            ["Modules:FileServer:Writable"] = writable ? "true" : "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }

        Server = new ModuleServer(new FileServerModule(), Settings, configureServices: _configureServices);
    }

    public string Base { get; }

    public string RootPath { get; }

    public string Outside { get; }

    public Dictionary<string, string?> Settings { get; }

    public ModuleServer Server { get; private set; }

    public FileResource Resource => (FileResource)Server.Tree.Entries.First(e => e.Resource is FileResource).Resource;

    /// <summary>Stops the server and starts a new one on the same root, as a restart of the host would.</summary>
    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = new ModuleServer(new FileServerModule(), Settings, configureServices: _configureServices);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Base, recursive: true);
    }

    /// <summary>A request for "/files/{segments}"; a trailing "" segment is a trailing slash.</summary>
    public CoapMessage Request(CoapCode code, params string[] segments)
    {
        var request = CoapMessage.CreateRequest(code, "files");
        request.SetUriPathSegments(["files", .. segments]);
        request.MessageId = ++_mid;
        request.Token = CoapToken.FromUInt64(_mid, 4);
        return request;
    }

    public CoapMessage Exchange(CoapMessage request)
    {
        Server.Peer.Send(request);
        return Server.Peer.Expect();
    }

    public CoapMessage Get(params string[] segments) => Exchange(Request(CoapCode.Get, segments));

    public CoapMessage Delete(params string[] segments) => Exchange(Request(CoapCode.Delete, segments));

    public CoapMessage Put(byte[] body, params string[] segments)
    {
        var request = Request(CoapCode.Put, segments);
        request.Payload = body;
        return Exchange(request);
    }

    /// <summary>One Block1 block of <paramref name="body"/> (RFC 7959 §2.5), block 0 with Size1.</summary>
    public CoapMessage PutBlock(byte[] body, int number, int sizeExponent, Action<CoapMessage>? configure, params string[] segments)
    {
        var size = 1 << (sizeExponent + 4);
        var offset = number * size;
        var length = Math.Min(size, body.Length - offset);
        var request = Request(CoapCode.Put, segments);
        configure?.Invoke(request);
        request.Payload = body.AsMemory(offset, length);
        request.Options.Add(new BlockValue(number, offset + length < body.Length, sizeExponent).ToOption(OptionNumber.Block1));
        if (number == 0)
        {
            request.Options.Add(CoapOption.FromUInt(OptionNumber.Size1, (uint)body.Length));
        }

        return Exchange(request);
    }

    /// <summary>A whole Block1 upload; the answer to the last block, or the first answer that is not 2.31.</summary>
    public CoapMessage PutBlockwise(byte[] body, int sizeExponent, Action<CoapMessage>? configure, params string[] segments)
    {
        var size = 1 << (sizeExponent + 4);
        var blocks = Math.Max(1, (body.Length + size - 1) / size);
        CoapMessage reply = null!;
        for (var number = 0; number < blocks; number++)
        {
            reply = PutBlock(body, number, sizeExponent, configure, segments);
            if (reply.Code != CoapCode.Continue)
            {
                return reply;
            }
        }

        return reply;
    }

    /// <summary>A Block2 download: every block's response, asking with <paramref name="sizeExponent"/> from block 0.</summary>
    public List<CoapMessage> GetBlockwise(int sizeExponent, params string[] segments)
    {
        var replies = new List<CoapMessage>();
        for (var number = 0; ; number++)
        {
            var request = Request(CoapCode.Get, segments);
            request.Options.Add(new BlockValue(number, false, sizeExponent).ToOption(OptionNumber.Block2));
            var reply = Exchange(request);
            replies.Add(reply);
            if (reply.Code != CoapCode.Content || !BlockOf(reply).More)
            {
                return replies;
            }
        }
    }

    public static BlockValue BlockOf(CoapMessage message, ushort number = OptionNumber.Block2)
    {
        Assert.True(message.Options.TryGet(number, out var option), $"no option {number}");
        Assert.True(BlockValue.TryDecode(option.Value.Span, out var block));
        return block;
    }

    public static byte[] ETagOf(CoapMessage message)
    {
        Assert.True(message.Options.TryGet(OptionNumber.ETag, out var option), "no ETag");
        return option.Value.ToArray();
    }

    public static string Text(CoapMessage message) => System.Text.Encoding.UTF8.GetString(message.Payload.Span);

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    public string InRoot(params string[] names) => Path.Join([RootPath, .. names]);

    /// <summary>SHA-256 over every path, kind and content below the sentinel tree.</summary>
    public string SentinelHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in Directory.EnumerateFileSystemEntries(Outside, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(Outside, path)));
            if (File.Exists(path))
            {
                hash.AppendData(File.ReadAllBytes(path));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>Upload temp files anywhere below the root.</summary>
    public string[] TempFiles() =>
        Directory.EnumerateFiles(RootPath, ".*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToArray();

    /// <summary>Makes a FIFO, a special file the service never serves; 0 on success.</summary>
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo")]
    public static extern int Mkfifo([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, uint mode);
}
