using System.Formats.Cbor;
using System.Globalization;
using System.Text;
using Coap.Engine.LinkFormat;
using Coap.Engine.Protocol;
using Coap.Testing;

namespace Services.Time.Tests;

public sealed class TimeResourceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 4, 5, 678, TimeSpan.Zero);
    private ModuleServer _server = new(new TimeModule(), time: new FakeTimeProvider(Now));
    private ushort _mid;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private CoapMessage Get(int? accept = null, params string[] queries)
    {
        var request = CoapMessage.CreateRequest(CoapCode.Get, "time");
        request.MessageId = ++_mid;
        request.Token = CoapToken.FromUInt64(_mid, 2);
        request.Accept = accept;
        foreach (var query in queries)
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, query));
        }

        _server.Peer.Send(request);
        return _server.Peer.Expect();
    }

    private async Task UsePrecisionAsync(string precision)
    {
        await _server.DisposeAsync();
        _server = new ModuleServer(new TimeModule(), new Dictionary<string, string?> { ["Modules:Time:Precision"] = precision }, new FakeTimeProvider(Now));
    }

    [Fact]
    public void Default_answer_is_cbor_tag_1_with_integer_seconds_and_max_age_0()
    {
        var response = Get();

        Assert.Equal(CoapCode.Content, response.Code);
        Assert.Equal(ContentFormat.Cbor, response.ContentFormat);
        Assert.Equal(0u, response.MaxAge);
        var reader = new CborReader(response.Payload);
        Assert.Equal(CborTag.UnixTimeSeconds, reader.ReadTag());
        Assert.Equal(Now.ToUnixTimeSeconds(), reader.ReadInt64());
        Assert.Equal(CborReaderState.Finished, reader.PeekState());
    }

    [Fact]
    public void Accept_60_is_the_same_as_no_accept()
    {
        Assert.Equal(Get().Payload.ToArray(), Get(ContentFormat.Cbor).Payload.ToArray());
    }

    [Fact]
    public void Text_plain_is_decimal_unix_seconds_agreeing_with_cbor()
    {
        var text = Get(ContentFormat.TextPlain);
        var cbor = Get(ContentFormat.Cbor);

        Assert.Equal(ContentFormat.TextPlain, text.ContentFormat);
        Assert.Equal(0u, text.MaxAge);
        var seconds = long.Parse(Encoding.ASCII.GetString(text.Payload.Span), CultureInfo.InvariantCulture);
        Assert.Equal(new CborReader(cbor.Payload).ReadUnixTimeSeconds().ToUnixTimeSeconds(), seconds);
    }

    [Theory]
    [InlineData(ContentFormat.Json)]
    [InlineData(ContentFormat.LinkFormat)]
    [InlineData(ContentFormat.OctetStream)]
    public void Any_other_accept_is_4_06(int accept)
    {
        Assert.Equal(CoapCode.NotAcceptable, Get(accept).Code);
    }

    [Fact]
    public async Task Sub_second_precision_gives_a_float_and_decimals()
    {
        await UsePrecisionAsync("Milliseconds");

        var cbor = new CborReader(Get().Payload);
        var text = Encoding.ASCII.GetString(Get(ContentFormat.TextPlain).Payload.Span);

        Assert.Equal(CborTag.UnixTimeSeconds, cbor.ReadTag());
        Assert.Equal(CborReaderState.DoublePrecisionFloat, cbor.PeekState());
        Assert.Equal(Now.ToUnixTimeMilliseconds() / 1000.0, cbor.ReadDouble(), 3);
        Assert.Equal($"{Now.ToUnixTimeSeconds()}.678", text);
    }

    [Fact]
    public void Extended_form_is_tag_1001_with_seconds_and_nanoseconds_whatever_the_precision()
    {
        var response = Get(null, "format=extended");

        var reader = new CborReader(response.Payload);
        Assert.Equal(1001ul, (ulong)reader.ReadTag());
        Assert.Equal(2, reader.ReadStartMap());
        Assert.Equal(1, reader.ReadInt32());
        Assert.Equal(Now.ToUnixTimeSeconds(), reader.ReadInt64());
        Assert.Equal(-9, reader.ReadInt32());
        Assert.Equal(678_000_000, reader.ReadInt64());
        reader.ReadEndMap();
        Assert.Equal(0u, response.MaxAge);
    }

    [Fact]
    public void Tai_scale_adds_the_offset_and_says_so()
    {
        var response = Get(null, "scale=tai");

        var reader = new CborReader(response.Payload);
        Assert.Equal(1001ul, (ulong)reader.ReadTag());
        Assert.Equal(3, reader.ReadStartMap());
        Assert.Equal(1, reader.ReadInt32());
        Assert.Equal(Now.ToUnixTimeSeconds() + 37, reader.ReadInt64());
        Assert.Equal(-9, reader.ReadInt32());
        Assert.Equal(678_000_000, reader.ReadInt64());
        Assert.Equal(-1, reader.ReadInt32());
        Assert.Equal(1, reader.ReadInt32());
        reader.ReadEndMap();
    }

    [Fact]
    public void Unknown_query_is_4_00_with_a_diagnostic()
    {
        var response = Get(null, "scale=gps");

        Assert.Equal(CoapCode.BadRequest, response.Code);
        Assert.Contains("scale=utc|tai", Encoding.UTF8.GetString(response.Payload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public void Put_is_4_05()
    {
        var request = CoapMessage.CreateRequest(CoapCode.Put, "time");
        request.MessageId = 900;
        _server.Peer.Send(request);

        Assert.Equal(CoapCode.MethodNotAllowed, _server.Peer.Expect().Code);
    }

    [Fact]
    public void Discovery_advertises_the_time_resource()
    {
        var request = CoapMessage.CreateRequest(CoapCode.Get, ".well-known/core");
        request.MessageId = 901;
        _server.Peer.Send(request);

        Assert.True(LinkFormatParser.TryParse(Encoding.UTF8.GetString(_server.Peer.Expect().Payload.Span), out var links, out _));
        var time = Assert.Single(links);
        Assert.Equal("/time", time.Target);
        Assert.Equal("core.time", time.GetAttribute("rt"));
        Assert.Equal(["0", "60"], time.GetAttributeValues("ct"));
        Assert.True(time.HasAttribute("obs"));
    }

    [Fact]
    public async Task Path_is_configurable()
    {
        await using var server = new ModuleServer(new TimeModule(), new Dictionary<string, string?> { ["Modules:Time:Path"] = "/clock/now" });
        var request = CoapMessage.CreateRequest(CoapCode.Get, "clock/now");
        request.MessageId = 1;
        server.Peer.Send(request);

        Assert.Equal(CoapCode.Content, server.Peer.Expect().Code);
    }

    [Theory]
    [InlineData("Modules:Time:TaiUtcOffset", "-5")]
    [InlineData("Modules:Time:NotifyInterval", "00:00:00")]
    [InlineData("Modules:Time:Path", "")]
    [InlineData("Modules:Time:ExtendedContentFormat", "60")]
    public void Bad_setting_names_its_key(string key, string value)
    {
        var error = Assert.ThrowsAny<Exception>(() => new ModuleServer(new TimeModule(), new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
