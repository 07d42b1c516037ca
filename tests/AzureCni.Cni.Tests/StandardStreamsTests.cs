using System.Text;
using AzureCni.Cni.Hosting;

namespace AzureCni.Cni.Tests;

/// <summary>The Windows shape of the standard streams (plain .NET streams), driven through the host here on Linux.</summary>
public class StandardStreamsTests
{
    [Fact]
    public void StreamBufferWriterSendsNothingUntilFlushedThenEverythingOnce()
    {
        using var sink = new MemoryStream();
        var writer = new StreamBufferWriter(sink);
        "{\"a\":"u8.CopyTo(writer.GetSpan(5));
        writer.Advance(5);
        "1}"u8.CopyTo(writer.GetSpan(2));
        writer.Advance(2);
        Assert.Equal(0, sink.Length);

        writer.Flush();
        writer.Flush();
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(sink.ToArray()));
    }

    [Fact]
    public void HostAnswersVersionAndErrorsThroughStreams()
    {
        var plugin = new RecordingPlugin();
        using var input = new MemoryStream("""{"cniVersion":"1.1.0"}"""u8.ToArray());
        using var output = new MemoryStream();
        using var error = new MemoryStream();
        var stdout = new StreamBufferWriter(output);
        var invocation = new CniInvocation { Environment = new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" } };
        Assert.Equal(0, CniHost.Run(plugin, invocation, input, stdout, new StreamBufferWriter(error)));
        stdout.Flush();
        Assert.Contains("\"supportedVersions\"", Encoding.UTF8.GetString(output.ToArray()));

        using var badInput = new MemoryStream("{bad"u8.ToArray());
        using var badOutput = new MemoryStream();
        var badStdout = new StreamBufferWriter(badOutput);
        var add = new CniInvocation
        {
            Environment = new Dictionary<string, string>
            {
                ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c1", ["CNI_NETNS"] = "c1-netns", ["CNI_IFNAME"] = "eth0", ["CNI_PATH"] = @"C:\k\azurecni\bin",
            },
        };
        Assert.Equal(1, CniHost.Run(plugin, add, badInput, badStdout, new StreamBufferWriter(error)));
        badStdout.Flush();
        Assert.Contains("\"code\":6", Encoding.UTF8.GetString(badOutput.ToArray()));
    }
}
