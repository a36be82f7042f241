using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MediaEngine.Net;

/// <summary>
/// Linux recvmmsg/sendmmsg for a UDP socket: many datagrams per system call, into and out of
/// native buffers allocated once. A producer's packet fanned out to N consumers leaves in one
/// sendmmsg instead of N sendto calls, and a burst of incoming packets is read without the
/// FIONREAD probe per datagram that <c>Socket.Available</c> costs. Worker thread only.
/// </summary>
internal sealed unsafe partial class DatagramBatch : IDisposable
{
    /// <summary>Datagrams read per recvmmsg and queued per sendmmsg.</summary>
    public const int Capacity = 32;

    /// <summary>
    /// Largest datagram kept: WebRTC peers stay under the path MTU and DTLS rejects records above
    /// 4,096 bytes; a longer datagram arrives truncated and is dropped.
    /// </summary>
    public const int SlotLength = 4096;

    private const int AddressLength = 28; // sockaddr_in6, the larger of the two families
    private const int MsgDontWait = 0x40;
    private const int MsgTrunc = 0x20;
    private const int EIntr = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct mmsghdr on LP64 Linux: a struct msghdr (56 bytes) and the datagram's length.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct MMsgHdr
    {
        [FieldOffset(0)] public void* Name;
        [FieldOffset(8)] public uint NameLength;
        [FieldOffset(16)] public IoVec* Iov;
        [FieldOffset(24)] public nuint IovLength;
        [FieldOffset(32)] public void* Control;
        [FieldOffset(40)] public nuint ControlLength;
        [FieldOffset(48)] public int Flags;
        [FieldOffset(56)] public uint Length;
    }

    private readonly SafeSocketHandle _socket;
    private readonly byte* _memory;
    private readonly MMsgHdr* _receiveHeaders;
    private readonly MMsgHdr* _sendHeaders;
    private readonly IoVec* _receiveIov;
    private readonly IoVec* _sendIov;
    private readonly byte* _receiveAddresses;
    private readonly byte* _sendAddresses;
    private readonly byte* _receiveData;
    private readonly byte* _sendData;
    private int _queued;

    /// <summary>The handle is referenced around each system call, so a socket closed meanwhile is never read through a reused descriptor.</summary>
    public DatagramBatch(SafeSocketHandle socket)
    {
        _socket = socket;
        var headers = 2 * Capacity * sizeof(MMsgHdr);
        var iovs = 2 * Capacity * sizeof(IoVec);
        var addresses = 2 * Capacity * AddressLength;
        _memory = (byte*)NativeMemory.AllocZeroed((nuint)(headers + iovs + addresses + 2 * Capacity * SlotLength));
        _receiveHeaders = (MMsgHdr*)_memory;
        _sendHeaders = _receiveHeaders + Capacity;
        _receiveIov = (IoVec*)(_sendHeaders + Capacity);
        _sendIov = _receiveIov + Capacity;
        _receiveAddresses = (byte*)(_sendIov + Capacity);
        _sendAddresses = _receiveAddresses + Capacity * AddressLength;
        _receiveData = _sendAddresses + Capacity * AddressLength;
        _sendData = _receiveData + Capacity * SlotLength;
        for (var i = 0; i < Capacity; i++)
        {
            _receiveIov[i] = new IoVec { Base = _receiveData + i * SlotLength, Length = SlotLength };
            _sendIov[i] = new IoVec { Base = _sendData + i * SlotLength };
            _sendHeaders[i] = new MMsgHdr { Name = _sendAddresses + i * AddressLength, Iov = _sendIov + i, IovLength = 1 };
        }
    }

    public static bool IsSupported => OperatingSystem.IsLinux() && (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64);

    public int Queued => _queued;

    /// <summary>Reads up to <see cref="Capacity"/> waiting datagrams without blocking; 0 when none (or on an error, which the next read reports again).</summary>
    public int Receive()
    {
        for (var i = 0; i < Capacity; i++)
        {
            _receiveHeaders[i] = new MMsgHdr
            {
                Name = _receiveAddresses + i * AddressLength,
                NameLength = AddressLength,
                Iov = _receiveIov + i,
                IovLength = 1,
            };
        }
        var referenced = false;
        try
        {
            _socket.DangerousAddRef(ref referenced);
            var fd = (int)_socket.DangerousGetHandle();
            int count;
            do
            {
                count = recvmmsg(fd, _receiveHeaders, Capacity, MsgDontWait, null);
            } while (count < 0 && Marshal.GetLastPInvokeError() == EIntr);
            return Math.Max(count, 0);
        }
        finally
        {
            if (referenced)
                _socket.DangerousRelease();
        }
    }

    /// <summary>Received datagram <paramref name="index"/>; false if it did not fit a slot.</summary>
    public bool TryGetReceived(int index, out Span<byte> datagram, SocketAddress source)
    {
        ref var header = ref _receiveHeaders[index];
        datagram = new Span<byte>(_receiveIov[index].Base, (int)header.Length);
        var nameLength = (int)Math.Min(header.NameLength, (uint)source.Buffer.Length);
        new ReadOnlySpan<byte>(header.Name, nameLength).CopyTo(source.Buffer.Span);
        source.Size = nameLength;
        return (header.Flags & MsgTrunc) == 0;
    }

    /// <summary>Copies a datagram into the send queue; false if it does not fit a slot or the queue is full.</summary>
    public bool TryQueue(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        if (_queued == Capacity || datagram.Length > SlotLength || destination.Size > AddressLength)
            return false;
        ref var header = ref _sendHeaders[_queued];
        datagram.CopyTo(new Span<byte>(_sendIov[_queued].Base, SlotLength));
        _sendIov[_queued].Length = (nuint)datagram.Length;
        destination.Buffer.Span[..destination.Size].CopyTo(new Span<byte>(header.Name, AddressLength));
        header.NameLength = (uint)destination.Size;
        _queued++;
        return true;
    }

    /// <summary>Sends what is queued; returns how many datagrams the kernel refused (each is skipped, the rest still go).</summary>
    public int Flush()
    {
        var errors = 0;
        var sent = 0;
        var referenced = false;
        try
        {
            _socket.DangerousAddRef(ref referenced);
            var fd = (int)_socket.DangerousGetHandle();
            while (sent < _queued)
            {
                var count = sendmmsg(fd, _sendHeaders + sent, (uint)(_queued - sent), 0);
                if (count > 0)
                {
                    sent += count;
                }
                else if (count < 0 && Marshal.GetLastPInvokeError() == EIntr)
                {
                    continue;
                }
                else
                {
                    errors++;
                    sent++;
                }
            }
        }
        finally
        {
            if (referenced)
                _socket.DangerousRelease();
            _queued = 0;
        }
        return errors;
    }

    public void Dispose() => NativeMemory.Free(_memory);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sendmmsg(int fd, MMsgHdr* messages, uint count, int flags);
}
