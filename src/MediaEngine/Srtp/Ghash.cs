using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MediaEngine.Srtp;

/// <summary>
/// GHASH (NIST SP 800-38D §6.4) with carry-less multiplication (PCLMULQDQ). Field elements are kept
/// byte-reversed: in that form GCM's bit-reflected multiplication is a carry-less product shifted left by one
/// bit, then reduced modulo x^128 + x^7 + x^2 + x + 1 (Gueron and Kounavis, Intel's CLMUL white paper). Up to
/// eight blocks are multiplied by H^8…H^1 and summed before a single reduction, so a packet costs a few
/// independent multiplications per block instead of a chain of dependent multiply-and-reduce steps.
/// </summary>
internal sealed class Ghash
{
    public const int BlockSize = 16;
    private const int AggregatedBlocks = 8;

    // _powers[i] is H^(i+1), byte-reversed.
    private readonly Vector128<ulong>[] _powers = new Vector128<ulong>[AggregatedBlocks];

    /// <param name="hashKey">H = AES(K, 0^128).</param>
    public Ghash(ReadOnlySpan<byte> hashKey)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("GHASH needs PCLMULQDQ and SSSE3.");
        }

        if (hashKey.Length != BlockSize)
        {
            throw new ArgumentException($"The hash key is {BlockSize} bytes.", nameof(hashKey));
        }

        var h = Load(ref MemoryMarshal.GetReference(hashKey), 0);
        _powers[0] = h;
        for (int i = 1; i < AggregatedBlocks; i++)
        {
            _powers[i] = Multiply(_powers[i - 1], h);
        }
    }

    public static bool IsSupported => Pclmulqdq.IsSupported && Ssse3.IsSupported;

    /// <summary>
    /// Absorbs <paramref name="data"/> into <paramref name="state"/> (zero to start). A trailing partial block
    /// is padded with zeros, so data split across calls must be split at block boundaries.
    /// </summary>
    public Vector128<ulong> Update(Vector128<ulong> state, ReadOnlySpan<byte> data)
    {
        ref byte source = ref MemoryMarshal.GetReference(data);
        ref var powers = ref MemoryMarshal.GetArrayDataReference(_powers);
        int fullBlocks = data.Length / BlockSize;
        nuint offset = 0;
        while (fullBlocks > 0)
        {
            int blocks = Math.Min(fullBlocks, AggregatedBlocks);
            var x = state ^ Load(ref source, offset);
            var h = Unsafe.Add(ref powers, blocks - 1);
            var low = Pclmulqdq.CarrylessMultiply(x, h, 0x00);
            var high = Pclmulqdq.CarrylessMultiply(x, h, 0x11);
            var middle = Pclmulqdq.CarrylessMultiply(x, h, 0x01) ^ Pclmulqdq.CarrylessMultiply(x, h, 0x10);
            for (int i = 1; i < blocks; i++)
            {
                x = Load(ref source, offset + (nuint)(i * BlockSize));
                h = Unsafe.Add(ref powers, blocks - 1 - i);
                low ^= Pclmulqdq.CarrylessMultiply(x, h, 0x00);
                high ^= Pclmulqdq.CarrylessMultiply(x, h, 0x11);
                middle ^= Pclmulqdq.CarrylessMultiply(x, h, 0x01) ^ Pclmulqdq.CarrylessMultiply(x, h, 0x10);
            }

            state = Reduce(low, middle, high);
            offset += (nuint)(blocks * BlockSize);
            fullBlocks -= blocks;
        }

        int rest = data.Length % BlockSize;
        if (rest != 0)
        {
            Span<byte> last = stackalloc byte[BlockSize];
            last.Clear();
            data[^rest..].CopyTo(last);
            state = Multiply(state ^ Load(ref MemoryMarshal.GetReference(last), 0), powers);
        }

        return state;
    }

    /// <summary>Absorbs the length block len(A) || len(C) in bits and returns the hash in GCM's byte order.</summary>
    public Vector128<byte> Finish(Vector128<ulong> state, int associatedDataLength, int ciphertextLength)
    {
        // Byte-reversed, the two big-endian 64-bit lengths become little-endian lanes in swapped order.
        var lengths = Vector128.Create((ulong)ciphertextLength * 8, (ulong)associatedDataLength * 8);
        state = Multiply(state ^ lengths, _powers[0]);
        return Ssse3.Shuffle(state.AsByte(), ByteReversal);
    }

    private static Vector128<byte> ByteReversal => Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Load(ref byte source, nuint offset) =>
        Ssse3.Shuffle(Vector128.LoadUnsafe(ref source, offset), ByteReversal).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Multiply(Vector128<ulong> a, Vector128<ulong> b) =>
        Reduce(
            Pclmulqdq.CarrylessMultiply(a, b, 0x00),
            Pclmulqdq.CarrylessMultiply(a, b, 0x01) ^ Pclmulqdq.CarrylessMultiply(a, b, 0x10),
            Pclmulqdq.CarrylessMultiply(a, b, 0x11));

    /// <summary>
    /// Turns the 256-bit carry-less product (low, middle at bit 64, high) of byte-reversed elements into their
    /// byte-reversed field product: a shift left by one bit, then reduction by the GCM polynomial.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Reduce(Vector128<ulong> low, Vector128<ulong> middle, Vector128<ulong> high)
    {
        var lo = (low ^ Sse2.ShiftLeftLogical128BitLane(middle, 8)).AsUInt32();
        var hi = (high ^ Sse2.ShiftRightLogical128BitLane(middle, 8)).AsUInt32();

        // Shift hi:lo left by one bit.
        var loCarries = Sse2.ShiftRightLogical(lo, 31);
        var hiCarries = Sse2.ShiftRightLogical(hi, 31);
        lo = Sse2.ShiftLeftLogical(lo, 1) | Sse2.ShiftLeftLogical128BitLane(loCarries, 4);
        hi = Sse2.ShiftLeftLogical(hi, 1)
            | Sse2.ShiftLeftLogical128BitLane(hiCarries, 4)
            | Sse2.ShiftRightLogical128BitLane(loCarries, 12);

        // First phase: multiples of x^127, x^126 and x^121 of the low half.
        var folded = Sse2.ShiftLeftLogical(lo, 31) ^ Sse2.ShiftLeftLogical(lo, 30) ^ Sse2.ShiftLeftLogical(lo, 25);
        var foldedOut = Sse2.ShiftRightLogical128BitLane(folded, 4);
        lo ^= Sse2.ShiftLeftLogical128BitLane(folded, 12);

        // Second phase.
        var shifted = Sse2.ShiftRightLogical(lo, 1) ^ Sse2.ShiftRightLogical(lo, 2) ^ Sse2.ShiftRightLogical(lo, 7) ^ foldedOut;
        return (hi ^ lo ^ shifted).AsUInt64();
    }
}
