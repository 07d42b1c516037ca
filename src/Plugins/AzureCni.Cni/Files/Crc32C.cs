using System.Numerics;
using System.Runtime.InteropServices;

namespace AzureCni.Cni.Files;

/// <summary>CRC-32C (Castagnoli), eight bytes a step with the CPU's crc32 instruction: how a record on disk proves it is whole.</summary>
internal static class Crc32C
{
    public static uint Of(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (ulong word in words)
            crc = BitOperations.Crc32C(crc, word);
        foreach (byte b in bytes[(words.Length * 8)..])
            crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
