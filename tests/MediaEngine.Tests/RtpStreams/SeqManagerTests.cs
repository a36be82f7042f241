using System.Numerics;
using MediaEngine.RtpStreams;

namespace MediaEngine.Tests.RtpStreams;

public class SeqManagerTests
{
    private const ushort Max15Bits = 0x7FFF;

    private enum Step
    {
        Input,
        SyncThenInput,
        Drop,
    }

    [Fact]
    public void Comparisons_WrapAtHalfTheRange()
    {
        Assert.True(SeqManager<ushort>.IsSeqHigherThan(0, 65000));
        Assert.True(SeqManager<ushort>.IsSeqLowerThan(65000, 0));
        Assert.False(SeqManager<ushort>.IsSeqHigherThan(5, 5));
        Assert.True(SeqManager<ushort>.IsSeqHigherThan(32767, 0));
        Assert.False(SeqManager<ushort>.IsSeqHigherThan(32768, 0));
        Assert.True(SeqManager<uint>.IsSeqHigherThan(10, uint.MaxValue - 10));
        Assert.True(SeqManager<byte>.IsSeqHigherThan(2, 250));
    }

    [Fact]
    public void OrderedInputs_PassThrough()
    {
        (int, int, Step)[] steps = [.. Enumerable.Range(0, 12).Select(value => (value, value, Step.Input))];

        Run(new SeqManager<ushort>(), steps);
        Run(new SeqManager<ushort>(maxValue: Max15Bits), steps);
    }

    [Fact]
    public void Sync_ContinuesTheOutputFromTheNewInput()
    {
        (int, int, Step)[] steps =
        [
            (0, 0, Step.Input),
            (1, 1, Step.Input),
            (2, 2, Step.Input),
            (80, 3, Step.SyncThenInput),
            (81, 4, Step.Input),
            (82, 5, Step.Input),
            (84, 7, Step.Input),
            (83, 6, Step.Input),
        ];

        Run(new SeqManager<ushort>(), steps);
        Run(new SeqManager<ushort>(maxValue: Max15Bits), steps);
    }

    [Fact]
    public void Drop_ShiftsLaterInputsWithoutAGap()
    {
        (int, int, Step)[] steps =
        [
            (0, 0, Step.Input),
            (1, 1, Step.Input),
            (2, 2, Step.Input),
            (3, 3, Step.Input),
            (4, 4, Step.SyncThenInput),
            (5, 5, Step.Input),
            (6, 6, Step.Input),
            (7, 7, Step.SyncThenInput),
            (8, 0, Step.Drop),
            (9, 8, Step.Input),
            (11, 0, Step.Drop),
            (10, 9, Step.Input),
            (12, 10, Step.Input),
        ];

        Run(new SeqManager<ushort>(), steps);
        Run(new SeqManager<ushort>(maxValue: Max15Bits), steps);
    }

    [Fact]
    public void InputsAroundADroppedOne_KeepTheirPlace()
    {
        (int, int, Step)[] steps =
        [
            (0, 0, Step.Input),
            (2, 0, Step.Drop),
            (3, 2, Step.Input),
            (4, 3, Step.Input),
            (1, 1, Step.Input),
        ];

        Run(new SeqManager<ushort>(), steps);
        Run(new SeqManager<ushort>(maxValue: Max15Bits), steps);
    }

    [Fact]
    public void DroppedInput_IsRejected()
    {
        var manager = new SeqManager<ushort>();
        Assert.True(manager.Input(10, out _));
        manager.Drop(11);

        Assert.False(manager.Input(11, out _));
        Assert.True(manager.Input(12, out ushort output));
        Assert.Equal(11, output);
    }

    [Fact]
    public void DropOfAnInputNotAheadOfTheHighest_IsIgnored()
    {
        var manager = new SeqManager<ushort>();
        Assert.True(manager.Input(10, out _));
        Assert.True(manager.Input(12, out _));

        manager.Drop(11);

        Assert.True(manager.Input(11, out ushort output));
        Assert.Equal(11, output);
        Assert.True(manager.Input(13, out output));
        Assert.Equal(13, output);
    }

    [Fact]
    public void InputsNotAfterTheLastSync_AreRejected()
    {
        var manager = new SeqManager<ushort>();
        Assert.True(manager.Input(100, out _));
        Assert.True(manager.Input(101, out _));

        manager.Sync(4999);

        Assert.False(manager.Input(4999, out _));
        Assert.False(manager.Input(4990, out _));
        Assert.False(manager.Input(102, out _));
        Assert.True(manager.Input(5001, out ushort output));
        Assert.Equal(103, output);
        Assert.True(manager.Input(5000, out output));
        Assert.Equal(102, output);
    }

    [Fact]
    public void OrderedInputs_WrapAround()
    {
        Run(
            new SeqManager<ushort>(),
            [
                (65533, 65533, Step.Input),
                (65534, 65534, Step.Input),
                (65535, 65535, Step.Input),
                (0, 0, Step.Input),
                (1, 1, Step.Input),
            ]);
    }

    [Fact]
    public void OutOfOrderInputs_AcrossTheWrap()
    {
        Run(
            new SeqManager<ushort>(),
            [
                (4, 4, Step.Input),
                (3, 3, Step.Input),
                (65535, 65535, Step.Input),
            ]);
    }

    [Fact]
    public void JumpAfterADrop_KeepsTheGapOfTheMissingInputs()
    {
        (int, int, Step)[] steps =
        [
            (0, 0, Step.Input),
            (1, 0, Step.Drop),
            (100, 99, Step.Input),
            (100, 99, Step.Input),
            (103, 0, Step.Drop),
            (101, 100, Step.Input),
        ];

        Run(new SeqManager<ushort>(), steps);
        Run(new SeqManager<ushort>(maxValue: Max15Bits), steps);
    }

    [Fact]
    public void SyncsAndDropsAcrossTheWrap()
    {
        Run(
            new SeqManager<ushort>(),
            [
                (0, 0, Step.Input),
                (1, 1, Step.Input),
                (2, 2, Step.Input),
                (3, 3, Step.Input),
                (7, 7, Step.Input),
                (6, 0, Step.Drop),
                (8, 8, Step.Input),
                (10, 10, Step.Input),
                (9, 9, Step.Input),
                (11, 11, Step.Input),
                (0, 12, Step.SyncThenInput),
                (2, 14, Step.Input),
                (3, 15, Step.Input),
                (4, 16, Step.Input),
                (5, 17, Step.Input),
                (6, 18, Step.Input),
                (7, 19, Step.Input),
                (8, 20, Step.Input),
                (9, 21, Step.Input),
                (10, 22, Step.Input),
                (9, 0, Step.Drop),
                (61, 23, Step.SyncThenInput),
                (62, 24, Step.Input),
                (63, 25, Step.Input),
                (64, 26, Step.Input),
                (65, 27, Step.Input),
                (11, 28, Step.SyncThenInput),
                (12, 29, Step.Input),
                (13, 30, Step.Input),
                (1, 31, Step.SyncThenInput),
                (2, 32, Step.Input),
                (65533, 33, Step.SyncThenInput),
                (65534, 34, Step.Input),
                (65535, 35, Step.Input),
                (0, 36, Step.SyncThenInput),
                (1, 37, Step.Input),
                (3, 0, Step.Drop),
                (4, 39, Step.Input),
                (5, 40, Step.Input),
            ]);
    }

    [Fact]
    public void SyncAndDropsNearTheMaximum_In15Bits()
    {
        Run(
            new SeqManager<ushort>(maxValue: Max15Bits),
            [
                (32762, 1, Step.SyncThenInput),
                (32763, 2, Step.Input),
                (32764, 3, Step.Input),
                (32765, 0, Step.Drop),
                (32766, 0, Step.Drop),
                (32767, 4, Step.Input),
                (0, 5, Step.Input),
                (1, 6, Step.Input),
            ]);
    }

    [Fact]
    public void ManyDropsAtTheStart_ShiftAllLaterInputs()
    {
        (int, int, Step)[] steps =
        [
            (1, 1, Step.Input),
            .. Enumerable.Range(2, 8).Select(value => (value, 0, Step.Drop)),
            .. Enumerable.Range(120, 20).Select(value => (value, value - 8, Step.Input)),
        ];

        Run(new SeqManager<ushort>(), steps);
        Run(new SeqManager<byte>(), steps);
    }

    [Fact]
    public void DropsOfAPreviousCycle_AreForgotten()
    {
        Run(
            new SeqManager<byte>(maxValue: 7),
            [
                (1, 1, Step.Input),
                (2, 0, Step.Drop),
                (3, 2, Step.Input),
                (4, 3, Step.Input),
                (5, 4, Step.Input),
                (6, 5, Step.Input),
                (7, 6, Step.Input),
                (0, 7, Step.Input),
                (1, 0, Step.Input),
                (2, 1, Step.Input),
                (3, 2, Step.Input),
            ]);
    }

    [Fact]
    public void InitialOutput_OffsetsEveryOutput()
    {
        Run(
            new SeqManager<ushort>(initialOutput: 1000),
            [
                (65533, 997, Step.Input),
                (65535, 999, Step.Input),
                (0, 1000, Step.Input),
                (2, 1000, Step.Drop),
                (3, 1002, Step.Input),
                (1, 1001, Step.Input),
            ]);
        Run(
            new SeqManager<ushort>(initialOutput: 32000, maxValue: Max15Bits),
            [
                (0, 32000, Step.Input),
                (1, 32001, Step.Input),
                (1000, 232, Step.Input),
            ]);
    }

    [Fact]
    public void ContinuousInput_SurvivesRepeatedRollOvers()
    {
        var manager = new SeqManager<ushort>();
        manager.Sync(ushort.MaxValue);

        for (int value = 0; value < 3 * 65536; value++)
        {
            Assert.True(manager.Input((ushort)value, out ushort output));
            Assert.Equal((ushort)(value + 1), output);
        }

        Assert.Equal(ushort.MaxValue, manager.MaxInput);
    }

    [Fact]
    public void ManyDrops_ForgetTheOldestAndRejectInputsBeforeIt()
    {
        var manager = new SeqManager<ushort>();
        Assert.True(manager.Input(0, out _));
        for (int value = 1; value < 1200; value += 2)
        {
            manager.Drop((ushort)value);
            Assert.True(manager.Input((ushort)(value + 1), out ushort output));
            Assert.Equal((ushort)((value + 1) / 2), output);
        }

        Assert.True(manager.Input(1202, out ushort next));
        Assert.Equal(602, next);
        Assert.True(manager.Input(1200, out ushort repeated));
        Assert.Equal(600, repeated);
        Assert.True(manager.Input(176, out ushort late));
        Assert.Equal(88, late);
        Assert.False(manager.Input(174, out _));
        Assert.False(manager.Input(2, out _));
    }

    [Fact]
    public void Timestamps_AreRebasedOnSync()
    {
        var manager = new SeqManager<uint>();
        Assert.True(manager.Input(uint.MaxValue - 2999, out uint output));
        Assert.Equal(uint.MaxValue - 2999, output);
        Assert.True(manager.Input(uint.MaxValue, out _));

        manager.Sync(90_000);

        Assert.True(manager.Input(93_000, out output));
        Assert.Equal(2999u, output);
    }

    [Fact]
    public void UnsupportedRanges_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeqManager<ushort>(maxValue: 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeqManager<ushort>(maxValue: 0));
        Assert.Throws<NotSupportedException>(() => new SeqManager<ulong>());
    }

    [Fact]
    public void Translation_DoesNotAllocate()
    {
        var manager = new SeqManager<ushort>();
        ushort input = 0;
        Exercise(manager, ref input);

        SteadyState.AssertAllocatesNothing(() =>
        {
            for (int iteration = 0; iteration < 1000; iteration++)
            {
                Exercise(manager, ref input);
            }
        });
    }

    private static void Exercise(SeqManager<ushort> manager, ref ushort input)
    {
        manager.Input(input++, out _);
        manager.Drop(input++);
        manager.Input(input++, out _);
        if (input % 100 == 0)
        {
            manager.Sync(input++);
        }
    }

    private static void Run<T>(SeqManager<T> manager, (int Input, int Output, Step Step)[] steps)
        where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        foreach ((int input, int expected, Step step) in steps)
        {
            T value = T.CreateTruncating(input);
            if (step == Step.Drop)
            {
                manager.Drop(value);
                continue;
            }

            if (step == Step.SyncThenInput)
            {
                manager.Sync(value - T.One);
            }

            Assert.True(manager.Input(value, out T output), $"input {input} was rejected");
            Assert.Equal(T.CreateTruncating(expected), output);
        }
    }
}
