using AzureCni.Json;

namespace AzureCni.Generators.Tests.Runtime;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void WritesBeyondCapacity_GrowAndKeepEarlierBytes()
    {
        using var buffer = new PooledBufferWriter(4);
        for (int i = 0; i < 1000; i++)
        {
            buffer.GetSpan(1)[0] = (byte)i;
            buffer.Advance(1);
        }

        Assert.Equal(1000, buffer.WrittenCount);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray(), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Clear_ForgetsWrittenBytesButKeepsTheArray()
    {
        using var buffer = new PooledBufferWriter(16);
        buffer.GetSpan(8);
        buffer.Advance(8);
        int capacity = buffer.Capacity;

        buffer.Clear();

        Assert.Equal(0, buffer.WrittenCount);
        Assert.Equal(capacity, buffer.Capacity);
    }

    [Fact]
    public void AdvancePastTheBuffer_Throws()
    {
        using var buffer = new PooledBufferWriter(16);
        int free = buffer.GetSpan().Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(free + 1));
    }

    [Fact]
    public void GetMemory_HonoursTheSizeHint()
    {
        using var buffer = new PooledBufferWriter(0);

        Assert.True(buffer.GetMemory(5000).Length >= 5000);
    }
}
