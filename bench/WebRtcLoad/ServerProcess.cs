using System.Globalization;

namespace WebRtcLoad;

/// <summary>The server process as /proc shows it: CPU time (user + system), resident memory, threads.</summary>
internal sealed record ServerSample(TimeSpan Cpu, long RssBytes, int Threads)
{
    private static readonly double TicksPerSecond = 100;

    public static ServerSample? Read(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat"))
            return null;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return new ServerSample(TimeSpan.FromSeconds(ticks / TicksPerSecond), rss, threads);
    }
}
