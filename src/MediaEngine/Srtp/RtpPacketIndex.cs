namespace MediaEngine.Srtp;

/// <summary>The 48-bit SRTP packet index, ROC * 2^16 + SEQ (RFC 3711 §3.3.1).</summary>
internal static class RtpPacketIndex
{
    private const long SequenceSpace = 1 << 16;
    private const long HalfSequenceSpace = 1 << 15;

    /// <summary>
    /// Guesses the index of a packet from its sequence number: of ROC - 1, ROC and ROC + 1, the one that puts
    /// the packet nearest the highest index seen (RFC 3711 Appendix A). A guess before index zero falls back
    /// to ROC 0, as there is no earlier roll-over.
    /// </summary>
    public static ulong Estimate(ulong highestIndex, ushort sequenceNumber)
    {
        long distance = sequenceNumber - (long)(ushort)highestIndex;
        if (distance > HalfSequenceSpace)
        {
            distance -= SequenceSpace;
        }
        else if (distance < -HalfSequenceSpace)
        {
            distance += SequenceSpace;
        }

        long estimate = (long)highestIndex + distance;
        return (ulong)(estimate < 0 ? estimate + SequenceSpace : estimate);
    }
}
