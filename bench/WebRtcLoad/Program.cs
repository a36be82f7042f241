using System.Globalization;
using System.Text.Json;
using WebRtcLoad;

// Real WebRTC peers without a browser, against a running server (bench/WebRtcLoad/run.sh starts one):
//   WebRtcLoad <https root> broadcast <consumers> <concurrency> <seconds> [server pid] [packets/s=100]
//   WebRtcLoad <https root> meetings <rooms> <peers per room> <concurrency> <seconds> [server pid]
if (args.Length < 5 || args[1] is not ("broadcast" or "meetings") || (args[1] == "meetings" && args.Length < 6))
{
    Console.Error.WriteLine("usage: WebRtcLoad <https root> broadcast <consumers> <concurrency> <seconds> [server pid] [packets/s]");
    Console.Error.WriteLine("       WebRtcLoad <https root> meetings <rooms> <peers per room> <concurrency> <seconds> [server pid]");
    return 2;
}
var server = new Uri(args[0]);
int Int(int index) => int.Parse(args[index], CultureInfo.InvariantCulture);
int? OptionalInt(int index) => args.Length > index ? Int(index) : null;
var report = args[1] == "broadcast"
    ? await LoadRun.RunAsync(new LoadOptions(server, Int(2), Int(3), Int(4), OptionalInt(5), OptionalInt(6) ?? 100), Console.Out)
    : await MeetingRun.RunAsync(new MeetingOptions(server, Int(2), Int(3), Int(4), Int(5), OptionalInt(6)), Console.Out);
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return report.Connected == report.Peers ? 0 : 1;
