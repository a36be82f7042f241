using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MediaEngine.Net;

/// <summary>
/// Linux epoll for the worker's wait: sockets join the interest list once, when added, and a wait
/// returns only the ready ones into an event array allocated once, so it allocates nothing and
/// costs in proportion to what is ready, whatever the number of sockets. Wake-ups go through an
/// eventfd. Each event carries a registration slot and its generation, so an event of a socket
/// removed earlier in the same round (its descriptor possibly reused since) is skipped.
/// </summary>
internal sealed unsafe partial class EpollSocketPoller : SocketPoller
{
    /// <summary>Ready sockets taken per wait; more stay ready and epoll hands them out next round, in turn.</summary>
    private const int MaxEvents = 256;

    private const int EpollCloexec = 0x80000;
    private const int EfdNonblock = 0x800;
    private const int EfdCloexec = 0x80000;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const int EIntr = 4;
    private const ulong WakeData = ulong.MaxValue;

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes, data at 4) and naturally aligned on arm64 (16, data at 8).</summary>
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly FileDescriptor _epoll;
    private readonly FileDescriptor _wakeEvent;
    private readonly byte[] _events = GC.AllocateArray<byte>(MaxEvents * 16, pinned: true); // 16: the larger event size
    private readonly Dictionary<Socket, int> _slotOf = new();
    private readonly Stack<int> _freeSlots = new();
    private Registration[] _slots = new Registration[64];
    private int _usedSlots;

    private struct Registration
    {
        public SafeSocketHandle? Handle;
        public Action? OnReadable;
        public uint Generation;
    }

    /// <summary>Closes the descriptor once no system call is using it (each one references it, as <see cref="DatagramBatch"/> does the sockets).</summary>
    private sealed class FileDescriptor : SafeHandleMinusOneIsInvalid
    {
        public FileDescriptor(int fd) : base(ownsHandle: true) => SetHandle(fd);

        public int Fd => (int)handle;

        protected override bool ReleaseHandle() => close((int)handle) == 0;
    }

    public static bool IsSupported => DatagramBatch.IsSupported;

    public EpollSocketPoller()
    {
        var epoll = epoll_create1(EpollCloexec);
        if (epoll < 0)
            throw new SocketException(Marshal.GetLastPInvokeError());
        _epoll = new FileDescriptor(epoll);
        var wake = eventfd(0, EfdNonblock | EfdCloexec);
        if (wake < 0)
        {
            var eventFdError = Marshal.GetLastPInvokeError();
            _epoll.Dispose();
            throw new SocketException(eventFdError);
        }
        _wakeEvent = new FileDescriptor(wake);
        var error = Control(EpollCtlAdd, wake, WakeData);
        if (error != 0)
        {
            Dispose();
            throw new SocketException(error);
        }
    }

    public override void Add(Socket socket, Action onReadable)
    {
        if (_slotOf.TryGetValue(socket, out var existing))
        {
            _slots[existing].OnReadable = onReadable;
            return;
        }
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : NewSlot();
        ref var registration = ref _slots[slot];
        var generation = registration.Generation + 1;
        if (!TryControl(socket.SafeHandle, EpollCtlAdd, (ulong)generation << 32 | (uint)slot, out var error) || error != 0)
        {
            _freeSlots.Push(slot);
            throw error != 0 ? new SocketException(error) : new ObjectDisposedException(nameof(Socket));
        }
        registration = new Registration { Handle = socket.SafeHandle, OnReadable = onReadable, Generation = generation };
        _slotOf[socket] = slot;
    }

    private int NewSlot()
    {
        if (_usedSlots == _slots.Length)
            Array.Resize(ref _slots, _slots.Length * 2);
        return _usedSlots++;
    }

    public override void Remove(Socket socket)
    {
        if (!_slotOf.Remove(socket, out var slot))
            return;
        // A socket already closed has left the interest list with its last descriptor; its number may
        // belong to another socket by now, so it is not passed to epoll_ctl.
        TryControl(socket.SafeHandle, EpollCtlDel, 0, out _);
        ref var registration = ref _slots[slot];
        registration.Handle = null;
        registration.OnReadable = null;
        _freeSlots.Push(slot);
    }

    /// <summary>epoll_ctl on the socket's descriptor, referenced meanwhile; false if the socket is already closed.</summary>
    private bool TryControl(SafeSocketHandle socket, int operation, ulong data, out int error)
    {
        var referenced = false;
        try
        {
            socket.DangerousAddRef(ref referenced);
            error = Control(operation, (int)socket.DangerousGetHandle(), data);
            return true;
        }
        catch (ObjectDisposedException) when (!referenced)
        {
            error = 0;
            return false;
        }
        finally
        {
            if (referenced)
                socket.DangerousRelease();
        }
    }

    /// <summary>epoll_ctl; returns 0 or the error number.</summary>
    private int Control(int operation, int fd, ulong data)
    {
        var ev = stackalloc byte[16];
        *(uint*)ev = EpollIn;
        *(ulong*)(ev + DataOffset) = data;
        var referenced = false;
        try
        {
            _epoll.DangerousAddRef(ref referenced);
            return epoll_ctl(_epoll.Fd, operation, fd, ev) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (referenced)
                _epoll.DangerousRelease();
        }
    }

    public override int Wait(TimeSpan timeout)
    {
        // epoll_wait counts whole milliseconds: round up, so a timer is at most 1 ms late instead of spinning.
        var milliseconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 0, int.MaxValue);
        var referenced = false;
        try
        {
            _epoll.DangerousAddRef(ref referenced);
            fixed (byte* events = _events)
            {
                var count = epoll_wait(_epoll.Fd, events, MaxEvents, milliseconds);
                return Math.Max(count, 0); // EINTR: the worker just goes round again
            }
        }
        finally
        {
            if (referenced)
                _epoll.DangerousRelease();
        }
    }

    public override bool TryGetReady(int index, out Action onReadable)
    {
        ulong data;
        fixed (byte* events = _events)
            data = *(ulong*)(events + index * EventSize + DataOffset);
        if (data == WakeData)
        {
            DrainWakeups();
            onReadable = null!;
            return false;
        }
        var slot = (int)(uint)data;
        ref var registration = ref _slots[slot];
        onReadable = registration.OnReadable!;
        // A socket closed from another thread (its removal posted) may still have had an event.
        return onReadable is not null && registration.Generation == (uint)(data >> 32) && !registration.Handle!.IsClosed;
    }

    private void DrainWakeups()
    {
        ClearWakePending();
        ulong value;
        var referenced = false;
        try
        {
            _wakeEvent.DangerousAddRef(ref referenced);
            while (read(_wakeEvent.Fd, &value, sizeof(ulong)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }
        }
        finally
        {
            if (referenced)
                _wakeEvent.DangerousRelease();
        }
    }

    protected override void Signal()
    {
        ulong one = 1;
        var referenced = false;
        try
        {
            _wakeEvent.DangerousAddRef(ref referenced);
            // EAGAIN only when the counter is near overflow, i.e. a wake-up is pending anyway.
            while (write(_wakeEvent.Fd, &one, sizeof(ulong)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (referenced)
                _wakeEvent.DangerousRelease();
        }
    }

    public override void Dispose()
    {
        _wakeEvent.Dispose();
        _epoll.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, void* ev);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, void* events, int maxEvents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int eventfd(uint initialValue, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, void* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
