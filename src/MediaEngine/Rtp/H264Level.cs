namespace MediaEngine.Rtp;

/// <summary>H.264 levels; each value is level_idc (ten times the level number), except level 1b.</summary>
public enum H264Level
{
    L1b = 0,
    L1 = 10,
    L1_1 = 11,
    L1_2 = 12,
    L1_3 = 13,
    L2 = 20,
    L2_1 = 21,
    L2_2 = 22,
    L3 = 30,
    L3_1 = 31,
    L3_2 = 32,
    L4 = 40,
    L4_1 = 41,
    L4_2 = 42,
    L5 = 50,
    L5_1 = 51,
    L5_2 = 52,
}
