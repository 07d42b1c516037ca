using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using AzureCni.Cni;
using AzureCni.Cni.Hosting;
using AzureCni.Cni.Types;
using AzureCni.Ipam.Config;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Linux;
using AzureCni.Vnet.Windows;

namespace AzureCni.Fuzz.Targets;

/// <summary>
/// The config on stdin through the real host (CniHost.Run: the generated NetConf reader, the version gates, CNI_ARGS,
/// the GC lists), every command, into a plugin that reads every member azure-vnet and azure-vnet-ipam read, on both
/// platforms, and answers ADD with the prevResult so the result converter writes it back in the config's version.
/// </summary>
public static class NetConfTarget
{
    private static readonly string[] Commands = ["ADD", "DEL", "CHECK", "GC", "STATUS"];

    public static void Run(byte[] input)
    {
        foreach (string command in Commands)
        {
            var plugin = new ReadingPlugin();
            var environment = new Dictionary<string, string>
            {
                ["CNI_COMMAND"] = command,
                ["CNI_CONTAINERID"] = "fuzz-container",
                ["CNI_NETNS"] = "/var/run/netns/fuzz",
                ["CNI_IFNAME"] = "eth0",
                ["CNI_PATH"] = "/opt/cni/bin",
                ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=fuzz",
            };
            var stdout = new ArrayBufferWriter<byte>();
            var stderr = new ArrayBufferWriter<byte>();
            int exitCode = CniHost.Run(plugin, new CniInvocation { Environment = environment }, new MemoryStream(input), stdout, stderr);
            plugin.ThrowIfUnexpected();

            // The host answers an exception it does not expect with code 100 and the exception's type: a crash here.
            string output = Encoding.UTF8.GetString(stdout.WrittenSpan);
            if (exitCode != 0 && output.Contains("\"code\":100,", StringComparison.Ordinal))
                throw new FuzzInvariantException($"{command}: the host answered an unexpected exception: {output}");
        }
    }

    // The plugin's refusals the host maps to a spec code: CniException, and JsonException (a member of the wrong type, code 6).
    private static bool Documented(Exception e) => e is CniException or JsonException;

    private sealed class ReadingPlugin : ICniPlugin
    {
        private static readonly IPAddress PodAddress = IPAddress.Parse("10.240.0.5");

        private Exception? _unexpected;

        public string Name => "fuzz";

        public CniResult Add(CniRequest request)
        {
            Read(request);
            return Guard(() => request.PrevResult) ?? new CniResult();
        }

        public void Delete(CniRequest request) => Read(request);

        public void Check(CniRequest request) => Read(request);

        public void GarbageCollect(CniRequest request) => Read(request);

        public void Status(CniRequest request) => Read(request);

        public void ThrowIfUnexpected()
        {
            if (_unexpected is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_unexpected);
        }

        private void Read(CniRequest request)
        {
            Guard(() => VnetConfig.From(request));
            Guard(() => IpamConfig.From(request.Config));
            Guard(() => request.PrevResult);
            Guard(() => PortMappings.Of(request, [new IPNetworkAddress(PodAddress, 16)]));
            var windows = Guard(() => WindowsNetworkConfig.Parse(request.StdinData.Span));
            if (windows is not null)
            {
                Guard(() => WindowsPolicies.ForHcn(windows, [PodAddress]));
                Guard(() => WindowsPolicies.ForHnsV1(windows));
            }
        }

        // Each reader separately, so one refusal does not hide the next reader; the first unexpected exception is kept.
        private T? Guard<T>(Func<T> read)
        {
            try
            {
                return Refusal.Allow(read, Documented);
            }
            catch (Exception e)
            {
                _unexpected ??= e;
                throw;
            }
        }
    }
}
