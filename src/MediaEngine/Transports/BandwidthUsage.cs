namespace MediaEngine.Transports;

/// <summary>What the delay trend says of the path (draft-ietf-rmcat-gcc §5.4): queues building, steady, or draining.</summary>
public enum BandwidthUsage
{
    Normal,
    Underusing,
    Overusing,
}
