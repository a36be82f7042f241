using System.Runtime.CompilerServices;

namespace MediaEngine.Srtp;

/// <summary>
/// The replay list of RFC 3711 §3.3.2: remembers which of the last <see cref="Size"/> indices up to the highest
/// accepted one were received. Size matches the window mediasoup configures in libsrtp, so that reordered
/// video survives. A bit per index in a ring, addressed by index modulo the size.
/// </summary>
internal struct ReplayWindow
{
    public const int Size = 1024;
    private const int BitsPerWord = 64;

    private Bitmap _received;

    private ReplayWindow(ulong firstIndex)
    {
        HighestIndex = firstIndex;
        Mark(firstIndex);
    }

    public ulong HighestIndex { get; private set; }

    public static ReplayWindow StartingAt(ulong firstIndex) => new(firstIndex);

    /// <summary>Whether a packet with this index may be accepted, if it authenticates.</summary>
    public readonly SrtpError Check(ulong index)
    {
        if (index > HighestIndex)
        {
            return SrtpError.None;
        }

        if (HighestIndex - index >= Size)
        {
            return SrtpError.TooOld;
        }

        return IsMarked(index) ? SrtpError.Replayed : SrtpError.None;
    }

    /// <summary>Records an authenticated packet that passed <see cref="Check"/>.</summary>
    public void Accept(ulong index)
    {
        if (index > HighestIndex)
        {
            ulong advance = index - HighestIndex;
            if (advance >= Size)
            {
                ((Span<ulong>)_received).Clear();
            }
            else
            {
                for (ulong skipped = HighestIndex + 1; skipped < index; skipped++)
                {
                    Unmark(skipped);
                }
            }

            HighestIndex = index;
        }

        Mark(index);
    }

    private readonly bool IsMarked(ulong index) => (_received[Word(index)] & Bit(index)) != 0;

    private void Mark(ulong index) => _received[Word(index)] |= Bit(index);

    private void Unmark(ulong index) => _received[Word(index)] &= ~Bit(index);

    private static int Word(ulong index) => (int)(index % Size / BitsPerWord);

    private static ulong Bit(ulong index) => 1UL << (int)(index % BitsPerWord);

    [InlineArray(Size / BitsPerWord)]
    private struct Bitmap
    {
        private ulong _word;
    }
}
