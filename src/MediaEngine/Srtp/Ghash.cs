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

    // _powers[i] is H^(i+1), byte-reversed; _powerSums[i] holds the XOR of its two halves, for Karatsuba.
    private readonly Vector128<ulong>[] _powers = new Vector128<ulong>[AggregatedBlocks];
    private readonly Vector128<ulong>[] _powerSums = new Vector128<ulong>[AggregatedBlocks];

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

        for (int i = 0; i < AggregatedBlocks; i++)
        {
            _powerSums[i] = HalvesXored(_powers[i]);
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
        ref var powerSums = ref MemoryMarshal.GetArrayDataReference(_powerSums);
        int fullBlocks = data.Length / BlockSize;
        nuint offset = 0;
        for (; fullBlocks >= AggregatedBlocks; fullBlocks -= AggregatedBlocks, offset += AggregatedBlocks * BlockSize)
        {
            Vector128<ulong> low = default, middle = default, high = default;
            Accumulate(ref low, ref middle, ref high, state ^ Load(ref source, offset), Unsafe.Add(ref powers, 7), Unsafe.Add(ref powerSums, 7));
            Accumulate(ref low, ref middle, ref high, Load(ref source, offset + 16), Unsafe.Add(ref powers, 6), Unsafe.Add(ref powerSums, 6));
            Accumulate(ref low, ref middle, ref high, Load(ref source, offset + 32), Unsafe.Add(ref powers, 5), Unsafe.Add(ref powerSums, 5));
            Accumulate(ref low, ref middle, ref high, Load(ref source, offset + 48), Unsafe.Add(ref powers, 4), Unsafe.Add(ref powerSums, 4));
            Accumulate(ref low, ref middle, ref high, Load(ref source, offset + 64), Unsafe.Add(ref powers, 3), Unsafe.Add(ref powerSums, 3));
            Accumulate(ref low, ref middle, ref high, Load(ref source, offset + 80), Unsafe.Add(ref powers, 2), Unsafe.Add(ref powerSums, 2));
            Accumulate(ref low, ref middle, ref high, Load(ref source, offset + 96), Unsafe.Add(ref powers, 1), Unsafe.Add(ref powerSums, 1));
            Accumulate(ref low, ref middle, ref high, Load(ref source, offset + 112), powers, powerSums);
            state = Reduce(low, middle ^ low ^ high, high);
        }

        if (fullBlocks > 0)
        {
            Vector128<ulong> low = default, middle = default, high = default;
            var x = state;
            for (int i = fullBlocks - 1; i >= 0; i--, offset += BlockSize)
            {
                x ^= Load(ref source, offset);
                Accumulate(ref low, ref middle, ref high, x, Unsafe.Add(ref powers, i), Unsafe.Add(ref powerSums, i));
                x = default;
            }

            state = Reduce(low, middle ^ low ^ high, high);
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

    /// <summary>Forgets the powers of H, which reveal the hash key.</summary>
    public void Clear()
    {
        Array.Clear(_powers);
        Array.Clear(_powerSums);
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

    /// <summary>Adds x·h to the unreduced sum, with three multiplications (Karatsuba) instead of four.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(
        ref Vector128<ulong> low,
        ref Vector128<ulong> middle,
        ref Vector128<ulong> high,
        Vector128<ulong> x,
        Vector128<ulong> h,
        Vector128<ulong> hHalvesXored)
    {
        low ^= Pclmulqdq.CarrylessMultiply(x, h, 0x00);
        high ^= Pclmulqdq.CarrylessMultiply(x, h, 0x11);
        middle ^= Pclmulqdq.CarrylessMultiply(HalvesXored(x), hHalvesXored, 0x00);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> HalvesXored(Vector128<ulong> x) => x ^ Sse2.Shuffle(x.AsUInt32(), 0x4E).AsUInt64();

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
