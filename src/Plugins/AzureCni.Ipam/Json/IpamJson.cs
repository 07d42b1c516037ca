using System.Buffers;
using AzureCni.Ipam.Model;
using AzureCni.Json;

namespace AzureCni.Ipam.Json;

/// <summary>The IPAM documents on the generated readers and writers: the state file (indented, for people) and interfaces.json.</summary>
public static class IpamJson
{
    public static byte[] WriteState(IpamState state)
    {
        using var buffer = new PooledBufferWriter(4096);
        using (var writer = CniJson.CreateWriter(buffer, indented: true))
        {
            state.WriteJson(writer);
        }

        buffer.Write("\n"u8);
        return buffer.ToArray();
    }

    /// <summary>Throws JsonException (or InvalidOperationException) on anything malformed, including trailing content.</summary>
    public static IpamState ReadState(ReadOnlySpan<byte> json) => CniJson.Parse<IpamState>(json);

    public static SourceInterfaces ReadInterfaces(ReadOnlySpan<byte> json) => CniJson.Parse<SourceInterfaces>(json);
}
