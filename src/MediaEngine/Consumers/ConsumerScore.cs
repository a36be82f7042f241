namespace MediaEngine.Consumers;

/// <summary>
/// A consumer's score changed (mediasoup's consumer 'score' event): <paramref name="Score"/> is what
/// its receiver reports say of what we send, <paramref name="ProducerScore"/> the score of the
/// producer stream being forwarded, <paramref name="ProducerScores"/> those of every encoding (0 when absent).
/// </summary>
public sealed record ConsumerScore(string ConsumerId, int Score, int ProducerScore, IReadOnlyList<int> ProducerScores);
