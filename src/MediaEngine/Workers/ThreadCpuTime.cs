using System.Globalization;

namespace MediaEngine.Workers;

/// <summary>CPU time of the calling thread, from Linux's /proc/thread-self (a file read: for metrics, never per packet).</summary>
internal static class ThreadCpuTime
{
    /// <summary>Linux's USER_HZ, the unit of utime/stime in /proc/…/stat, is 100 on every architecture .NET runs on.</summary>
    private const long TicksPerClockTick = TimeSpan.TicksPerSecond / 100;

    /// <summary>User + system time of the calling thread; null where /proc does not tell it.</summary>
    public static TimeSpan? OfCurrentThread()
    {
        try
        {
            // schedstat's first field: nanoseconds on the CPU (needs the kernel's scheduler statistics).
            var schedstat = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
            if (long.TryParse(schedstat[0], NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds) && nanoseconds > 0)
                return TimeSpan.FromTicks(nanoseconds / 100);
            return FromStat(File.ReadAllText("/proc/thread-self/stat"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>utime + stime, fields 14 and 15 of stat, counted after the command name, which may hold spaces.</summary>
    private static TimeSpan? FromStat(string stat)
    {
        var afterName = stat.LastIndexOf(')');
        if (afterName < 0)
            return null;
        var fields = stat[(afterName + 2)..].Split(' ');
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
            return null;
        return TimeSpan.FromTicks((user + system) * TicksPerClockTick);
    }
}
