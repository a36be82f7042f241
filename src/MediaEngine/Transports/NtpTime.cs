namespace MediaEngine.Transports;

/// <summary>Wall-clock time as a 64-bit NTP timestamp (seconds since 1900 in 32.32 fixed point), for RTCP reports.</summary>
internal static class NtpTime
{
    private static readonly DateTime Epoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static ulong Now()
    {
        var sinceEpoch = DateTime.UtcNow - Epoch;
        var seconds = (ulong)(sinceEpoch.Ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(sinceEpoch.Ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }
}
