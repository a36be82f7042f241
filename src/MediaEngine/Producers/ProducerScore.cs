namespace MediaEngine.Producers;

/// <summary>A producer's stream scores changed (mediasoup's producer 'score' event); one entry per stream received so far.</summary>
public sealed record ProducerScore(string ProducerId, IReadOnlyList<ProducerStreamScore> Scores);

/// <summary>The 0–10 score of one encoding the producer receives.</summary>
public sealed record ProducerStreamScore(int EncodingIdx, uint Ssrc, string? Rid, int Score);
