using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AzureCni.Cni.Hosting;
using AzureCni.Cni.Types;
using AzureCni.Json;

namespace AzureCni.Cni.Tests;

/// <summary>A plugin that records what the host hands it and answers as told.</summary>
internal sealed class RecordingPlugin : ICniPlugin
{
    public List<CniRequest> Calls { get; } = [];

    public Func<CniRequest, CniResult>? OnAdd { get; set; }

    public Exception? Throw { get; set; }

    public string Name => "recording";

    public bool ConfiguresNetns { get; init; }

    public CniResult Add(CniRequest request) => Record(request) ?? (OnAdd?.Invoke(request) ?? new CniResult());

    public void Delete(CniRequest request) => Record(request);

    public void Check(CniRequest request) => Record(request);

    public void GarbageCollect(CniRequest request) => Record(request);

    public void Status(CniRequest request) => Record(request);

    private CniResult? Record(CniRequest request)
    {
        Calls.Add(request);
        if (Throw is not null)
        {
            throw Throw;
        }

        return null;
    }
}

internal sealed record HostOutcome(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public int ErrorCode => Json.GetProperty("code").GetInt32();

    public string Message => Json.GetProperty("msg").GetString()!;

    public string Details => Json.GetProperty("details").GetString()!;
}

internal static class Host
{
    public const string Conf11 = """{"cniVersion":"1.1.0","name":"azure","type":"azure-vnet","ipam":{"type":"azure-vnet-ipam"}}""";

    public static Dictionary<string, string> Env(string command, string? args = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = "3ce2636e7e36",
            ["CNI_NETNS"] = "/var/run/netns/test",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/opt/cni/bin",
        };
        if (args is not null)
        {
            env["CNI_ARGS"] = args;
        }

        return env;
    }

    public static HostOutcome Run(ICniPlugin plugin, IReadOnlyDictionary<string, string> env, string stdin, string[]? args = null, string? about = null) =>
        Run(plugin, env, Encoding.UTF8.GetBytes(stdin), args, about);

    public static HostOutcome Run(ICniPlugin plugin, IReadOnlyDictionary<string, string> env, byte[] stdin, string[]? args = null, string? about = null)
    {
        var stdout = new ArrayBufferWriter<byte>();
        var stderr = new ArrayBufferWriter<byte>();
        var invocation = new CniInvocation { Environment = env, Arguments = args ?? [], ProductVersion = "1.2.3", About = about };
        int exit = CniHost.Run(plugin, invocation, new MemoryStream(stdin), stdout, stderr);
        return new HostOutcome(exit, Encoding.UTF8.GetString(stdout.WrittenSpan), Encoding.UTF8.GetString(stderr.WrittenSpan));
    }
}

internal static class JsonText
{
    /// <summary>Compact form of a JSON text, member order kept, so two documents compare as strings.</summary>
    public static string Normalize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            doc.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Write(CniResult result, SpecVersion version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CniResultConverter.Write(result, version, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static CniResult Read(string json, string? fallbackVersion = null) =>
        CniResultConverter.FromDocument(CniJson.Parse<AnyResult>(Encoding.UTF8.GetBytes(json)), fallbackVersion);
}
