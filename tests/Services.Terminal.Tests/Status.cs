using System.Formats.Cbor;
using Coap.Engine.Protocol;

namespace Services.Terminal.Tests;

/// <summary>A session's /status: {"running": bool, "pid": int, "exit": int once ended}.</summary>
internal sealed record Status(bool Running, int Pid, int? Exit)
{
    public static async Task<Status> GetAsync(TerminalServer server, SessionClient session)
    {
        var response = await server.Client.GetAsync(session.Uri + "status");
        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(ContentFormat.Cbor, response.ContentFormat);
        var reader = new CborReader(response.Payload);
        var count = reader.ReadStartMap();
        bool? running = null;
        int? pid = null;
        int? exit = null;
        for (var i = 0; i < count; i++)
        {
            switch (reader.ReadTextString())
            {
                case "running":
                    running = reader.ReadBoolean();
                    break;
                case "pid":
                    pid = reader.ReadInt32();
                    break;
                case "exit":
                    exit = reader.ReadInt32();
                    break;
                default:
                    Assert.Fail("unexpected key");
                    break;
            }
        }

        return new Status(running!.Value, pid!.Value, exit);
    }
}
