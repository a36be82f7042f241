namespace MediaEngine.Sctp;

/// <summary>
/// Congestion window of RFC 9260 §7.2: slow start, congestion avoidance with partial_bytes_acked,
/// fast recovery after fast retransmit and the collapse to one packet on a retransmission timeout.
/// </summary>
internal sealed class SctpCongestionControl
{
    private readonly int _mtu;
    private int _partialBytesAcked;
    private uint _fastRecoveryExitTsn;

    public SctpCongestionControl(int mtu, int initialWindowPackets, uint peerReceiveWindow)
    {
        _mtu = mtu;
        Window = initialWindowPackets * mtu;
        SlowStartThreshold = (int)Math.Min(peerReceiveWindow, int.MaxValue);
    }

    public int Window { get; private set; }

    public int SlowStartThreshold { get; private set; }

    public bool InFastRecovery { get; private set; }

    /// <summary>Called for a SACK that advanced the cumulative TSN ack (RFC 9260 §7.2.1, §7.2.2).</summary>
    public void OnCumulativeAckAdvanced(uint cumulativeTsnAck, int bytesAcked, int flightSizeBeforeSack)
    {
        if (InFastRecovery)
        {
            if (SctpSerialNumber.IsNewerOrEqual(cumulativeTsnAck, _fastRecoveryExitTsn))
            {
                InFastRecovery = false;
            }

            return;
        }

        // "Fully utilized" allows a packet of slack, since a sender rarely fills cwnd to the byte.
        bool windowUsed = flightSizeBeforeSack + _mtu >= Window;
        if (Window <= SlowStartThreshold)
        {
            if (windowUsed)
            {
                Window += Math.Min(bytesAcked, _mtu);
            }

            return;
        }

        _partialBytesAcked += bytesAcked;
        if (_partialBytesAcked >= Window && windowUsed)
        {
            _partialBytesAcked -= Window;
            Window += _mtu;
        }
    }

    /// <summary>Enters fast recovery unless already in it (RFC 9260 §7.2.4).</summary>
    public void OnFastRetransmit(uint highestOutstandingTsn)
    {
        if (InFastRecovery)
        {
            return;
        }

        InFastRecovery = true;
        _fastRecoveryExitTsn = highestOutstandingTsn;
        SlowStartThreshold = Math.Max(Window / 2, 4 * _mtu);
        Window = SlowStartThreshold;
        _partialBytesAcked = 0;
    }

    /// <summary>RFC 9260 §7.2.3: the window falls to one packet.</summary>
    public void OnRetransmissionTimeout()
    {
        SlowStartThreshold = Math.Max(Window / 2, 4 * _mtu);
        Window = _mtu;
        _partialBytesAcked = 0;
        InFastRecovery = false;
    }
}
