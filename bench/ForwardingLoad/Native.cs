using System.Runtime.InteropServices;

namespace ForwardingLoad;

/// <summary>The few Linux calls the load tool needs that .NET does not expose: batched receive with kernel timestamps, thread CPU time, thread id.</summary>
internal static unsafe partial class Native
{
    public const int SolSocket = 1;
    public const int SoTimestampNs = 35;
    private const int MsgDontWait = 0x40;
    private const int ClockRealtime = 0;
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public int NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CMsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, Timespec* timeout);

    [LibraryImport("libc")]
    private static partial int clock_gettime(int clock, Timespec* time);

    [LibraryImport("libc")]
    public static partial int gettid();

    /// <summary>Non-blocking: as many queued datagrams as fit, 0 when none.</summary>
    public static int ReceiveBatch(int fd, MMsgHdr* messages, int count)
    {
        var received = recvmmsg(fd, messages, (uint)count, MsgDontWait, null);
        return received < 0 ? 0 : received;
    }

    public static long ThreadCpuNanoseconds()
    {
        Timespec time;
        clock_gettime(ClockThreadCpuTime, &time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    /// <summary>CLOCK_REALTIME in nanoseconds: the clock of SO_TIMESTAMPNS.</summary>
    public static long RealtimeNanoseconds()
    {
        Timespec time;
        clock_gettime(ClockRealtime, &time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }
}
