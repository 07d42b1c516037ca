using System.Buffers;
using System.Text;
using AzureCni.Json;

namespace AzureCni.Ipam.Show;

/// <summary>The `show` commands' --json output: indented, through the repo's JSON generator.</summary>
public static class ShowJson
{
    public static void Append<T>(T report, StringBuilder output) where T : ICniJsonObject<T>
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = CniJson.CreateWriter(buffer, indented: true))
        {
            report.WriteJson(writer);
        }

        output.Append(Encoding.UTF8.GetString(buffer.WrittenSpan)).Append('\n');
    }
}
