using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Fuzzing;

/// <summary>
/// Valid requests, of every method, to every resource of the file service, the time, the pub-sub broker, DoC and
/// /.well-known/core (and to paths nobody serves), with the options a real client sends: Accept, Block2, ETag,
/// Observe, If-Match, queries, DNS queries, configuration maps. Type, message ID and token are the caller's.
/// </summary>
public sealed class RequestFactory(Random random, ServerModel model, Func<DateTimeOffset> now)
{
    public const int ConfigurationFormat = 606;

    public static readonly CoapCode[] Methods =
        [CoapCode.Get, CoapCode.Post, CoapCode.Put, CoapCode.Delete, CoapCode.Fetch, CoapCode.Patch, CoapCode.IPatch];

    private static readonly int[] Accepts = [0, 40, 42, 50, 60, 553, ConfigurationFormat, 9999];

    private static readonly string[] WellKnownQueries =
        ["rt=core.ps.data", "rt=*", "href=/files*", "ct=40", "title=Files", "obs", "if=core.s", "rt=core.ps.*", "anchor=x", "=", "rt", "sz=5"];

    private static readonly string[] CollectionQueries =
        ["rt=core.ps.data", "rt=core.ps.*", "rt=core.ps.d*", "rt=core.ps.conf", "ct=60", "href=/ps/*", "obs", "rt"];

    private static readonly string[] TimeQueries = ["format=extended", "format=basic", "scale=tai", "scale=utc", "format=bogus", "x=1", "format=", ""];

    /// <summary>A request to any resource, weighted towards the ones with state.</summary>
    public CoapMessage Any()
    {
        var request = random.Next(100) switch
        {
            < 35 => Files(),
            < 62 => PubSub(),
            < 72 => Time(),
            < 86 => Dns(),
            < 94 => WellKnownCore(),
            _ => Unserved(),
        };
        return Decorate(request);
    }

    public CoapMessage Files()
    {
        var directory = random.Pick(Served.Directories);
        var toDirectory = random.Chance(0.3);
        var path = toDirectory ? Served.Directory(directory) : Served.File(directory, random.Pick(Served.FileNames));
        if (random.Chance(0.05))
        {
            path[random.Next(1, path.Length)] = random.Pick(Served.OddSegments);
        }

        var method = random.Next(100) switch
        {
            < 35 => CoapCode.Get,
            < 65 => CoapCode.Put,
            < 80 => CoapCode.Delete,
            _ => random.Pick(Methods),
        };
        var request = Request(method, path);
        if (method == CoapCode.Get)
        {
            MaybeAccept(request, 0.2);
            MaybeBlock2(request, 0.2);
            MaybeETag(request, OptionNumber.ETag, 0.1);
            MaybeObserve(request, 0.1);
        }
        else if (method == CoapCode.Put)
        {
            if (!toDirectory)
            {
                request.Payload = Body(random.Chance(0.1) ? 0 : random.Next(1, 300));
            }

            MaybeETag(request, OptionNumber.IfMatch, 0.1);
            if (random.Chance(0.1))
            {
                request.Options.Add(CoapOption.Empty(OptionNumber.IfNoneMatch));
            }
        }
        else if (method == CoapCode.Delete)
        {
            MaybeETag(request, OptionNumber.IfMatch, 0.15);
        }
        else
        {
            request.Payload = Body(random.Next(20));
        }

        return request;
    }

    public CoapMessage Time()
    {
        var request = Request(random.Chance(0.85) ? CoapCode.Get : random.Pick(Methods), [Served.Time]);
        MaybeAccept(request, 0.3);
        if (random.Chance(0.3))
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, random.Pick(TimeQueries)));
        }

        MaybeObserve(request, 0.12);
        MaybeBlock2(request, 0.05);
        return request;
    }

    public CoapMessage PubSub() => random.Next(100) switch
    {
        < 30 => Collection(),
        < 60 => Topic(TopicId()),
        _ => TopicData(DataId()),
    };

    public CoapMessage Collection()
    {
        var method = random.Next(100) switch
        {
            < 40 => CoapCode.Get,
            < 80 => CoapCode.Post,
            < 95 => CoapCode.Fetch,
            _ => random.Pick(Methods),
        };
        var request = Request(method, [Served.PubSub]);
        if (method == CoapCode.Get && random.Chance(0.4))
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, random.Pick(CollectionQueries)));
        }
        else if (method != CoapCode.Get)
        {
            Map(request, forCreate: method == CoapCode.Post);
        }

        return request;
    }

    public CoapMessage Topic(string id)
    {
        var method = random.Next(100) switch
        {
            < 25 => CoapCode.Get,
            < 40 => CoapCode.Fetch,
            < 55 => CoapCode.Post,
            < 75 => CoapCode.IPatch,
            < 88 => CoapCode.Delete,
            _ => random.Pick(Methods),
        };
        var request = Request(method, [Served.PubSub, id]);
        if (method == CoapCode.Fetch)
        {
            request.Payload = random.Chance(0.9) ? CborSamples.KeyArray(random) : CborSamples.Damaged(random, CborSamples.KeyArray(random));
            request.ContentFormat = random.Chance(0.5) ? 60 : ConfigurationFormat;
        }
        else if (method != CoapCode.Get && method != CoapCode.Delete)
        {
            Map(request, forCreate: method == CoapCode.Post);
        }

        return request;
    }

    public CoapMessage TopicData(string id)
    {
        var method = random.Next(100) switch
        {
            < 45 => CoapCode.Put,
            < 80 => CoapCode.Get,
            < 90 => CoapCode.Delete,
            _ => random.Pick(Methods),
        };
        var request = Request(method, [Served.PubSub, "data", id]);
        if (method == CoapCode.Get)
        {
            MaybeObserve(request, 0.3);
            MaybeAccept(request, 0.1);
        }
        else if (method != CoapCode.Delete)
        {
            Publication(request);
        }

        return request;
    }

    public CoapMessage Dns()
    {
        var method = random.Next(100) switch
        {
            < 50 => CoapCode.Fetch,
            < 70 => CoapCode.Post,
            < 90 => CoapCode.Get,
            _ => random.Pick(Methods),
        };
        var request = Request(method, [Served.Dns]);
        var query = random.Chance(0.9) ? DnsQueries.Next(random) : ByteMutator.Mutate(random, DnsQueries.Next(random), [0x00, 0xC0, 0xC0, 0x3F, 0x40, 0xFF]);
        if (method == CoapCode.Get)
        {
            var text = random.Chance(0.9) ? "dns=" + DnsQueries.ToBase64Url(query) : random.Pick<string>(["dns=!!", "dns=", "name=x", "dns=AA="]);
            request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, text));
        }
        else
        {
            request.Payload = query;
            request.ContentFormat = random.Chance(0.92) ? 553 : random.Pick<int>([0, 42, 60]);
        }

        if (random.Chance(0.3))
        {
            request.Accept = random.Chance(0.9) ? 553 : 0;
        }

        MaybeETag(request, OptionNumber.ETag, 0.1);
        MaybeBlock2(request, 0.08);
        return request;
    }

    public CoapMessage WellKnownCore()
    {
        var request = Request(random.Chance(0.85) ? CoapCode.Get : random.Pick(Methods), [".well-known", "core"]);
        if (random.Chance(0.4))
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriQuery, random.Pick(WellKnownQueries)));
        }

        MaybeBlock2(request, 0.2, maxExponent: 2);
        MaybeAccept(request, 0.1);
        return request;
    }

    public CoapMessage Unserved()
    {
        string[][] paths =
        [
            [], ["nothing"], [Served.Files], [Served.PubSub, "data"], [Served.PubSub, "x", "y"], [Served.Time, "x"], [Served.Dns, "x"],
            [".well-known"], [".well-known", "core", "x"], [random.Pick(Served.OddSegments)],
        ];
        return Request(random.Pick(Methods), random.Pick(paths));
    }

    /// <summary>
    /// A publication for a topic-data resource: CBOR, text, bytes or nothing, sometimes CBOR that is broken.
    /// </summary>
    public void Publication(CoapMessage request)
    {
        switch (random.Next(7))
        {
            case 0:
            case 1:
                request.ContentFormat = 60;
                request.Payload = CborSamples.DataItem(random);
                break;
            case 2:
                request.ContentFormat = random.Pick<int>([60, 63, 112]);
                request.Payload = CborSamples.Damaged(random, CborSamples.DataItem(random));
                break;
            case 3:
                request.ContentFormat = 0;
                request.Payload = Encoding.UTF8.GetBytes("21.5");
                break;
            case 4:
                request.ContentFormat = 63;
                request.Payload = (byte[])[.. CborSamples.DataItem(random), .. CborSamples.DataItem(random)];
                break;
            case 5:
                request.Payload = Body(random.Next(1, 100));
                break;
            default:
                request.ContentFormat = random.Pick(Accepts);
                break;
        }
    }

    /// <summary>
    /// A configuration map as the body, Content-Format 606 mostly; broken at the byte level one time in ten.
    /// </summary>
    public void Map(CoapMessage request, bool forCreate)
    {
        var map = CborSamples.ConfigurationMap(random, forCreate, now());
        request.Payload = random.Chance(0.9) ? map : CborSamples.Damaged(random, map);
        request.ContentFormat = random.Chance(0.9) ? ConfigurationFormat : random.Pick<int>([60, 0]);
    }

    /// <summary>A topic the broker has (learned from its 2.01s) most of the time, else one it never had.</summary>
    public string TopicId() => model.Topics.Count > 0 && random.Chance(0.85) ? random.Pick(model.Topics).Id : random.Pick<string>(["0000000", "zz", ""]);

    public string DataId()
    {
        var known = model.Topics.Where(t => t.DataId is not null).Select(t => t.DataId!).ToList();
        return known.Count > 0 && random.Chance(0.85) ? random.Pick(known) : random.Pick<string>(["d0", "nope", ""]);
    }

    public static CoapMessage Request(CoapCode method, string[] path)
    {
        var request = new CoapMessage { Code = method };
        request.SetUriPathSegments(path);
        return request;
    }

    /// <summary>
    /// Options some clients add to any request: Uri-Host/Port, No-Response, Size2, unknown elective and critical
    /// options.
    /// </summary>
    private CoapMessage Decorate(CoapMessage request)
    {
        if (random.Chance(0.04))
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.UriHost, random.Chance(0.5) ? "localhost" : "127.0.0.1"));
        }

        if (random.Chance(0.03))
        {
            request.Options.Add(CoapOption.FromUInt(OptionNumber.UriPort, 5683));
        }

        if (random.Chance(0.04))
        {
            request.Options.Add(CoapOption.FromUInt(OptionNumber.NoResponse, (uint)random.Next(27)));
        }

        if (random.Chance(0.03))
        {
            request.Options.Add(CoapOption.Empty(OptionNumber.Size2));
        }

        if (random.Chance(0.03))
        {
            request.Options.Add(new CoapOption(random.Pick<ushort>([2048, 3000, 65000, 1000, OptionNumber.HopLimit, OptionNumber.Echo, OptionNumber.RequestTag]), random.Bytes(random.Next(4))));
        }

        if (random.Chance(0.02))
        {
            request.Options.Add(new CoapOption(random.Pick<ushort>([OptionNumber.Oscore, OptionNumber.QBlock1, OptionNumber.Edhoc, OptionNumber.QBlock2, 2049, 65001]), random.Bytes(random.Next(3))));
        }

        if (random.Chance(0.01))
        {
            request.Options.Add(CoapOption.FromString(OptionNumber.ProxyUri, "coap://192.0.2.1/time"));
        }

        return request;
    }

    private byte[] Body(int length) => random.Chance(0.5) ? Encoding.ASCII.GetBytes(new string('x', length)) : random.Bytes(length);

    private void MaybeAccept(CoapMessage request, double probability)
    {
        if (random.Chance(probability))
        {
            request.Accept = random.Pick(Accepts);
        }
    }

    private void MaybeBlock2(CoapMessage request, double probability, int maxExponent = 6)
    {
        if (random.Chance(probability))
        {
            request.Options.Add(new BlockValue(random.Next(4), false, random.Next(maxExponent + 1)).ToOption(OptionNumber.Block2));
        }
    }

    private void MaybeObserve(CoapMessage request, double probability)
    {
        if (random.Chance(probability))
        {
            request.Observe = random.Chance(0.8) ? 0 : 1;
        }
    }

    /// <summary>An ETag or If-Match: the one last seen for this path, the empty directory's, empty, or made up.</summary>
    private void MaybeETag(CoapMessage request, ushort number, double probability)
    {
        if (!random.Chance(probability))
        {
            return;
        }

        var known = model.TagOf(string.Join('/', request.GetUriPathSegments()));
        var tag = random.Next(4) switch
        {
            0 when known is not null => known,
            1 => Served.EmptyDirectoryTag,
            2 when number == OptionNumber.IfMatch => [],
            _ => random.Bytes(random.Next(1, 9)),
        };
        request.Options.Add(new CoapOption(number, tag));
    }
}
