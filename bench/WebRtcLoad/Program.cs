using System.Globalization;
using System.Text.Json;
using WebRtcLoad;

// Real WebRTC consumers without a browser, against a running server (bench/WebRtcLoad/run.sh starts one):
//   dotnet bench/WebRtcLoad/bin/Release/net10.0/WebRtcLoad.dll <wss/https root> [consumers=200] [concurrency=20] [seconds=10] [server pid] [packets/s=100]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: WebRtcLoad <https root> [consumers] [concurrency] [seconds] [server pid] [packets per second]");
    return 2;
}
var options = new LoadOptions(
    new Uri(args[0]),
    args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200,
    args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20,
    args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10,
    args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : null,
    args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 100);
var report = await LoadRun.RunAsync(options, Console.Out);
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return report.Connected == report.Consumers ? 0 : 1;
