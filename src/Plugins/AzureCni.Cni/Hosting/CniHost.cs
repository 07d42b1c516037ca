using System.Buffers;
using System.Text;
using System.Text.Json;
using AzureCni.Cni.Types;
using AzureCni.Json;

namespace AzureCni.Cni.Hosting;

/// <summary>
/// The skel of a CNI plugin: validates the environment and the config the way libcni's skel does, dispatches the
/// command to an <see cref="ICniPlugin"/>, and prints the result converted to the config's cniVersion, or an
/// error document ({"cniVersion","code","msg","details"}) with exit code 1. Stdout carries nothing else.
/// </summary>
public static class CniHost
{
    /// <summary>The largest config accepted on stdin; a real one is a few hundred bytes.</summary>
    public const int MaxStdinBytes = 1 << 20;

    /// <summary>Production entry point: the process's environment and standard streams (<see cref="StandardStreams"/>).</summary>
    public static int Main(ICniPlugin plugin, string[] args, string productVersion)
    {
        var invocation = CniInvocation.FromProcess(args, plugin.Name, productVersion);
        using var stdin = StandardStreams.OpenInput();
        var stdout = StandardStreams.OpenOutput();
        var stderr = StandardStreams.OpenError();
        int exitCode = Run(plugin, invocation, stdin, stdout, stderr);
        stderr.Flush();
        stdout.Flush();
        return exitCode;
    }

    /// <summary>Runs one invocation against injected streams; returns the process exit code.</summary>
    public static int Run(ICniPlugin plugin, CniInvocation invocation, Stream stdin, IBufferWriter<byte> stdout, IBufferWriter<byte> stderr)
    {
        foreach (var arg in invocation.Arguments)
        {
            if (arg is "-v" or "--version" or "-version")
            {
                // CNS parses this exact line.
                WriteText(stdout, $"Azure CNI Version v{invocation.ProductVersion}\n");
                return 0;
            }
        }

        string errorVersion = CniVersion.Current;
        try
        {
            var env = invocation.Environment;
            if (!env.TryGetValue("CNI_COMMAND", out var commandText) && invocation.About is not null)
            {
                WriteText(stderr, $"{invocation.About}\nCNI protocol versions supported: {string.Join(", ", CniVersion.Supported)}\n");
                return 0;
            }

            var command = ParseCommand(commandText, env);
            byte[] stdinData = ReadStdin(stdin);
            if (command == CniCommand.Version)
            {
                var doc = new VersionDoc { CniVersion = CniVersion.Current, SupportedVersions = [.. CniVersion.Supported] };
                CniJson.Write(doc, stdout);
                return 0;
            }

            var conf = ParseConfig(stdinData);
            if (CniVersion.TryParse(conf.CniVersion ?? CniVersion.Default, out _))
            {
                errorVersion = string.IsNullOrEmpty(conf.CniVersion) ? CniVersion.Default : conf.CniVersion;
            }

            var request = BuildRequest(command, env, stdinData, conf, stderr);
            if (plugin.ConfiguresNetns)
                NetnsValidation.Validate(command, request.Netns);

            Dispatch(plugin, request, stdout);
            return 0;
        }
        catch (CniException e)
        {
            WriteError(stdout, errorVersion, e.Code, e.Message, e.Details);
        }
        catch (JsonException e)
        {
            // A plugin reading its own fields from the config hit a member of the wrong type.
            WriteError(stdout, errorVersion, CniErrorCode.DecodingFailure, "error decoding network config: " + e.Message, null);
        }
        catch (Exception e)
        {
            // The stack trace is for the plugin's log (debug level), never for the runtime.
            WriteError(stdout, errorVersion, CniErrorCode.Runtime, $"{e.GetType().Name}: {e.Message}", null);
        }

        return 1;
    }

    private static CniCommand ParseCommand(string? commandText, IReadOnlyDictionary<string, string> env)
    {
        if (string.IsNullOrEmpty(commandText))
        {
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, "required env variables [CNI_COMMAND] missing");
        }

        if (!CniVersion.TryParseCommand(commandText, out var command))
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"unknown CNI_COMMAND: {commandText}",
                "expected one of ADD, DEL, CHECK, GC, STATUS, VERSION");
        }

        // The variables skel requires per command (CNI_PATH too, stricter than the spec, as libcni is).
        var missing = new List<string>();
        bool attachment = command is CniCommand.Add or CniCommand.Del or CniCommand.Check;
        Require("CNI_CONTAINERID", attachment);
        Require("CNI_NETNS", command is CniCommand.Add or CniCommand.Check);
        Require("CNI_IFNAME", attachment);
        Require("CNI_PATH", command != CniCommand.Version);
        if (missing.Count > 0)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"required env variables [{string.Join(",", missing)}] missing",
                $"{CniVersion.CommandName(command)} needs them set and non-empty");
        }

        return command;

        void Require(string name, bool required)
        {
            if (required && string.IsNullOrEmpty(env.GetValueOrDefault(name)))
            {
                missing.Add(name);
            }
        }
    }

    private static byte[] ReadStdin(Stream stdin)
    {
        byte[] data;
        bool tooLarge;
        try
        {
            data = RawStdio.ReadToEnd(stdin, MaxStdinBytes, out tooLarge);
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IOFailure, "error reading from stdin: " + e.Message);
        }

        if (tooLarge)
        {
            throw new CniException(
                CniErrorCode.DecodingFailure,
                $"network config on stdin is larger than {MaxStdinBytes} bytes (1 MiB)",
                "refusing to decode it");
        }

        return data;
    }

    private static NetConf ParseConfig(byte[] stdinData)
    {
        // Checked once for every later reader: the plugins decode their own members lazily, from the same bytes.
        if (!System.Text.Unicode.Utf8.IsValid(stdinData))
            throw new CniException(CniErrorCode.DecodingFailure, "error decoding network config from stdin: it is not valid UTF-8");

        try
        {
            return CniJson.Parse<NetConf>(stdinData);
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "error decoding network config from stdin: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "error decoding network config from stdin: " + e.Message);
        }
    }

    private static CniRequest BuildRequest(CniCommand command, IReadOnlyDictionary<string, string> env, byte[] stdinData, NetConf conf, IBufferWriter<byte> stderr)
    {
        bool attachment = command is CniCommand.Add or CniCommand.Del or CniCommand.Check;
        string containerId = env.GetValueOrDefault("CNI_CONTAINERID") ?? "";
        string ifName = env.GetValueOrDefault("CNI_IFNAME") ?? "";
        if (attachment)
        {
            CniValidation.ValidateNetworkName(conf.Name);
            if (string.IsNullOrEmpty(conf.Type))
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, "missing plugin type (\"type\" in the network config)");
            }

            CniValidation.ValidateContainerId(containerId);
            CniValidation.ValidateInterfaceName(ifName);
        }

        var version = CniVersion.ParseConfigVersion(conf.CniVersion);
        CniVersion.EnsureCommandAllowed(command, version);

        var args = attachment ? ParseArgs(command, env.GetValueOrDefault("CNI_ARGS"), stderr) : CniArgs.Empty;

        return new CniRequest
        {
            Command = command,
            ContainerId = containerId,
            Netns = env.GetValueOrDefault("CNI_NETNS") ?? "",
            IfName = ifName,
            CniPath = env.GetValueOrDefault("CNI_PATH") ?? "",
            StdinData = stdinData,
            Version = version,
            PodNamespace = args.PodNamespace,
            PodName = args.PodName,
            Args = args,
            Config = conf,
            ValidAttachments = MergeAttachments(conf),
            Environment = env,
            Stderr = stderr,
        };
    }

    /// <summary>
    /// CNI_ARGS per libcni's rules, except on DEL: a DEL must clean up whatever the args say (upstream Azure only
    /// logs a parse failure there), so unknown keys are accepted and a malformed CNI_ARGS is logged and ignored.
    /// </summary>
    private static CniArgs ParseArgs(CniCommand command, string? text, IBufferWriter<byte> stderr)
    {
        if (command != CniCommand.Del)
        {
            return CniArgs.Parse(text);
        }

        try
        {
            return CniArgs.Parse(text, strict: false);
        }
        catch (CniException e)
        {
            WriteText(stderr, $"DEL: ignoring CNI_ARGS: {e.Message}\n");
            return CniArgs.Empty;
        }
    }

    private static List<GcAttachment> MergeAttachments(NetConf conf)
    {
        var list = new List<GcAttachment>(conf.ValidAttachments ?? []);
        foreach (var legacy in conf.LegacyAttachments ?? [])
        {
            if (!list.Exists(a => a.ContainerId == legacy.ContainerId && a.IfName == legacy.IfName))
            {
                list.Add(legacy);
            }
        }

        return list;
    }

    private static void Dispatch(ICniPlugin plugin, CniRequest request, IBufferWriter<byte> stdout)
    {
        switch (request.Command)
        {
            case CniCommand.Add:
                var result = plugin.Add(request);
                var output = new ArrayBufferWriter<byte>(512);
                CniResultConverter.Write(result, request.Version, output);

                // Only a fully converted result reaches stdout; a conversion error prints the error alone.
                stdout.Write(output.WrittenSpan);
                break;
            case CniCommand.Del:
                plugin.Delete(request);
                break;
            case CniCommand.Check:
                plugin.Check(request);
                break;
            case CniCommand.Gc:
                plugin.GarbageCollect(request);
                break;
            case CniCommand.Status:
                plugin.Status(request);
                break;
        }
    }

    /// <summary>Writes the error document; used by the host and by anything else that must answer in CNI form.</summary>
    public static void WriteError(IBufferWriter<byte> stdout, string cniVersion, CniErrorCode code, string message, string? details)
    {
        var doc = new ErrorDoc { CniVersion = cniVersion, Code = (int)code, Message = message, Details = details ?? "" };
        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            CniJson.Write(doc, buffer);
        }
        catch (Exception)
        {
            // Text the writer refuses (a lone surrogate from the environment): the code still gets through.
            buffer.Clear();
            WriteText(buffer, $"{{\"cniVersion\":\"{CniVersion.Current}\",\"code\":{(int)code},\"msg\":\"error message not representable as JSON\",\"details\":\"\"}}");
        }

        stdout.Write(buffer.WrittenSpan);
    }

    private static void WriteText(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        int n = Encoding.UTF8.GetBytes(text, span);
        output.Advance(n);
    }
}
