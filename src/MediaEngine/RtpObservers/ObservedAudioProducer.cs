namespace MediaEngine.RtpObservers;

/// <summary>
/// One audio producer's level accumulator inside an <see cref="AudioLevelObserver"/>. The
/// producer's receive path calls <see cref="ReceiveLevel"/> per packet: two additions, no allocation.
/// </summary>
public sealed class ObservedAudioProducer
{
    internal ObservedAudioProducer(AudioLevelObserver observer, string producerId)
    {
        Observer = observer;
        ProducerId = producerId;
    }

    public AudioLevelObserver Observer { get; }

    public string ProducerId { get; }

    /// <summary>Sum of the interval's levels as positive numbers (−dBov).</summary>
    internal int Sum { get; private set; }

    internal int Count { get; private set; }

    /// <summary>The RFC 6464 level of one packet: 0 (loudest) .. 127 (silence), i.e. −dBov; the voice-activity bit is ignored, as mediasoup does.</summary>
    public void ReceiveLevel(byte level)
    {
        Sum += level & 0x7F;
        Count++;
    }

    internal void Reset()
    {
        Sum = 0;
        Count = 0;
    }
}
