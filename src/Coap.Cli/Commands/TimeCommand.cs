using System.CommandLine;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Coap.Cli.Clock;
using Coap.Cli.Output;
using Coap.Engine.Client;

namespace Coap.Cli.Commands;

/// <summary>
/// time: measures the local clock's offset from a CoAP time server (offset = ts − (t0 + t3) / 2 from the sample with
/// the shortest round trip) and with --set steps the local clock by it.
/// </summary>
internal static class TimeCommand
{
    private static readonly string[] DefaultPath = ["time"];

    public static Command Create(CliConsole console, IClockStepper stepper)
    {
        var uri = UriArgument.Create();
        uri.Description = "The time server (coap://host, which means coap://host/time) or its time resource.";
        var samples = new Option<int>("--samples", "-n") { Description = "How many samples to take (1-100).", DefaultValueFactory = _ => 8, HelpName = "N" };
        samples.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100)
            {
                r.AddError("--samples must be between 1 and 100");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var set = new Option<bool>("--set") { Description = "Step the local clock by the measured offset (root only)." };
        var client = new ClientOptionSet();
        var command = new Command("time", "Measure the local clock's offset from a CoAP time server, and optionally set it.") { uri, samples, json, set };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CommandAction.RunAsync(
            console,
            async () =>
            {
                var target = result.GetRequiredValue(uri);
                if (target.PathSegments.Count == 0)
                {
                    target = CoapUri.Parse($"{target.ToString().TrimEnd('/')}/{DefaultPath[0]}");
                }

                var settings = client.Read(result);
                var options = settings.ToClientOptions();
                options.NonConfirmable = true;
                options.Timeout = settings.Timeout ?? TimeSpan.FromSeconds(2);
                await using var coap = new CoapClient(options);
                var sync = new ClockSync(coap, target, settings.Proxy);
                var taken = new List<ClockSample>();
                var lost = 0;
                for (var i = 0; i < result.GetValue(samples); i++)
                {
                    try
                    {
                        var (sample, response) = await sync.SampleAsync(cancellationToken).ConfigureAwait(false);
                        if (sample is null)
                        {
                            return ResponseReport.Fail(console, response);
                        }

                        taken.Add(sample.Value);
                    }
                    catch (CoapTimeoutException)
                    {
                        lost++;
                    }
                }

                if (taken.Count == 0)
                {
                    throw new CoapException($"No answer from {target} to any of {lost} samples.");
                }

                var best = taken.MinBy(s => s.RoundTrip);
                var stepped = false;
                if (result.GetValue(set))
                {
                    if (!stepper.TryStep(best.Offset, out var error))
                    {
                        console.ReportError(error);
                        return ExitCode.NoResponse;
                    }

                    stepped = true;
                }

                await console.WriteOutputAsync(result.GetValue(json) ? Json(target, best, taken.Count, lost, stepped) : Text(target, best, taken.Count, lost, stepped), cancellationToken).ConfigureAwait(false);
                return ExitCode.Success;
            },
            cancellationToken));
        return command;
    }

    private static string Text(CoapUri target, ClockSample best, int count, int lost, bool stepped) =>
        string.Create(CultureInfo.InvariantCulture, $"offset {best.Offset.TotalSeconds:+0.000000;-0.000000} s, round trip {best.RoundTrip.TotalSeconds:0.000000} s (best of {count} samples, {lost} lost) from {target}\n")
        + (stepped ? string.Create(CultureInfo.InvariantCulture, $"local clock stepped by {best.Offset.TotalSeconds:+0.000000;-0.000000} s\n") : string.Empty);

    private static string Json(CoapUri target, ClockSample best, int count, int lost, bool stepped)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("uri", target.ToString());
            json.WriteNumber("offsetSeconds", best.Offset.TotalSeconds);
            json.WriteNumber("roundTripSeconds", best.RoundTrip.TotalSeconds);
            json.WriteString("serverTime", best.Server.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("samples", count);
            json.WriteNumber("lost", lost);
            json.WriteBoolean("stepped", stepped);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
