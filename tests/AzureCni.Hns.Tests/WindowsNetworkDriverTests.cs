using System.Net;
using System.Text.Json;
using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Types;
using AzureCni.Hns.Tests.Simulation;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Windows;

namespace AzureCni.Hns.Tests;

/// <summary>The azure-vnet Windows data path against the simulated HNS (HCN v2 path unless stated).</summary>
public sealed class WindowsNetworkDriverTests : IDisposable
{
    private readonly SimulatedHostNetworkService _hns = new();
    private readonly string _stateDir = Directory.CreateTempSubdirectory("azcni-hns-test-").FullName;
    private readonly EndpointStore _store;
    private readonly WindowsNetworkDriver _driver;
    private readonly WindowsNetworkConfig _config = TestData.ParseConfig();
    private readonly WindowsNetworkConfig _shortTimeout = TestData.ParseShortTimeoutConfig();

    // The state as on Windows: azure-vnet.json through the Windows file primitives (managed APIs, which run here too).
    public WindowsNetworkDriverTests()
    {
        _store = new EndpointStore(_stateDir, new WindowsFilePrimitives());
        _driver = new WindowsNetworkDriver(_hns, _store);
    }

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    [Fact]
    public void Add_RecordsTheAttachmentInAzureVnetJson_DelRemovesIt_DelAgainIsOk()
    {
        Guid ns = _hns.AddNamespace();
        CniResult result = _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());

        Assert.Equal(["azure-vnet.json", "azure-vnet.lock"], Directory.GetFiles(_stateDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        EndpointRecord record = Assert.Single(_store.Read().Endpoints);
        Assert.Equal("azure", record.Network);
        Assert.Equal(TestData.ContainerId, record.ContainerId);
        Assert.Equal("eth0", record.IfName);
        Assert.Equal(ns.ToString(), record.Netns);
        Assert.Equal(TestData.EndpointName, record.EndpointName);
        Assert.Equal(HcnIds.Format(Assert.Single(_hns.NamespaceEndpoints(ns))), record.EndpointId);
        Assert.Equal(new HcnClient(_hns).GetNetworkByName("azure")!.Id, record.NetworkId, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["10.240.0.20/12"], record.Addresses);
        Assert.Equal(Assert.Single(result.Interfaces).Mac, record.Mac);
        Assert.Equal(WindowsNetworkDriver.StateMode, record.Mode);
        Assert.False(record.Pending);

        _driver.Delete(_config, TestData.Request(CniCommand.Del, ns.ToString()));
        Assert.Empty(_store.Read().Endpoints);
        _driver.Delete(_config, TestData.Request(CniCommand.Del, ns.ToString()));
        Assert.Empty(_store.Read().Endpoints);
    }

    [Fact]
    public void Add_Failed_LeavesNoStateEntry()
    {
        Assert.Throws<CniException>(() => _driver.Add(_config, TestData.Request(CniCommand.Add, Guid.NewGuid().ToString()), TestData.IpamResult()));

        Assert.Empty(_store.Read().Endpoints);
    }

    /// <summary>Windows without the Containers feature: computenetwork.dll cannot be loaded.</summary>
    [Fact]
    public void Add_WithoutHns_AnswersPluginNotAvailable_AndLeavesNothing()
    {
        var driver = new WindowsNetworkDriver(NoHns.Create(), _store);

        var error = Assert.Throws<CniException>(() => driver.Add(_config, TestData.Request(CniCommand.Add, Guid.NewGuid().ToString()), TestData.IpamResult()));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.Equal("ADD: the Host Networking Service is not available on this host (computenetwork.dll not found): install the Windows Containers feature and restart", error.Message);
        Assert.Null(error.Details);
        Assert.Empty(_store.Read().Endpoints);
    }

    /// <summary>Without HNS no endpoint can exist: DEL and GC succeed and drop the state entries (the IPAM release goes on).</summary>
    [Fact]
    public void DelAndGc_WithoutHns_Succeed_AndForgetTheEntries()
    {
        Guid ns = _hns.AddNamespace();
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());
        var driver = new WindowsNetworkDriver(NoHns.Create(), _store);

        Assert.Empty(driver.Delete(_config, TestData.Request(CniCommand.Del, ns.ToString())));
        Assert.Empty(_store.Read().Endpoints);

        _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());
        Assert.Empty(driver.GarbageCollect(_config, TestData.Request(CniCommand.Gc, ns.ToString())));
        Assert.Empty(_store.Read().Endpoints);
    }

    [Fact]
    public void Status_AnswersWhenHnsDoes_Code50WithoutIt()
    {
        _driver.Status(_config);

        var error = Assert.Throws<CniException>(() => new WindowsNetworkDriver(NoHns.Create(), _store).Status(_config));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.StartsWith("STATUS: the Host Networking Service is not available on this host (computenetwork.dll not found)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WithoutHns_AnswersPluginNotAvailable()
    {
        Guid ns = _hns.AddNamespace();
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());
        var driver = new WindowsNetworkDriver(NoHns.Create(), _store);

        var error = Assert.Throws<CniException>(() => driver.Check(_config, TestData.Request(CniCommand.Check, ns.ToString())));

        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.StartsWith("CHECK: the Host Networking Service is not available on this host", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_StateLockHeld_AnswersTryAgainLaterBeforeTouchingHns()
    {
        Guid ns = _hns.AddNamespace();
        using var held = StateLock.Acquire(Path.Combine(_stateDir, EndpointStore.LockFileName), TimeSpan.FromSeconds(1));

        CniException e = Assert.Throws<CniException>(() => _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult()));

        Assert.Equal(CniErrorCode.TryAgainLater, e.Code);
        Assert.Equal(0, _hns.NetworkCount);
        Assert.Equal(0, _hns.EndpointCount);
    }

    [Fact]
    public void Check_AttachmentMissingFromTheState_Fails()
    {
        Guid ns = _hns.AddNamespace();
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());
        _store.Update(state => state.Endpoints.RemoveAll(_ => true));

        CniException e = Assert.Throws<CniException>(() => _driver.Check(_config, TestData.Request(CniCommand.Check, ns.ToString())));
        Assert.Contains("azure-vnet.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EndpointReplacedBehindOurBack_Fails()
    {
        Guid ns = _hns.AddNamespace();
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());
        _store.Update(state =>
        {
            state.Endpoints[0].EndpointId = HcnIds.Format(Guid.NewGuid());
            return true;
        });

        CniException e = Assert.Throws<CniException>(() => _driver.Check(_config, TestData.Request(CniCommand.Check, ns.ToString())));
        Assert.Contains("not the recorded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_Check_Del_DelAgain_Gc_FullLifecycle()
    {
        Guid ns = _hns.AddNamespace();
        CniRequest add = TestData.Request(CniCommand.Add, ns.ToString());

        CniResult result = _driver.Add(_config, add, TestData.IpamResult());

        Assert.Equal(1, _hns.NetworkCount);
        Assert.Equal(1, _hns.EndpointCount);
        Guid endpointId = Assert.Single(_hns.NamespaceEndpoints(ns));
        CniInterface iface = Assert.Single(result.Interfaces);
        Assert.Equal("eth0", iface.Name);
        Assert.Equal(ns.ToString(), iface.Sandbox);
        Assert.Matches("^00:15:5d:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$", iface.Mac);
        CniIPConfig ip = Assert.Single(result.Ips);
        Assert.Equal("10.240.0.20/12", ip.Address.ToString());
        Assert.Equal(0, ip.Interface);
        Assert.Equal(["10.0.0.10", "168.63.129.16"], result.Dns.Nameservers);
        Assert.Equal(["default.svc.cluster.local"], result.Dns.Search);

        _driver.Check(_config, TestData.Request(CniCommand.Check, ns.ToString()));

        IReadOnlyList<IPAddress> released = _driver.Delete(_config, TestData.Request(CniCommand.Del, ns.ToString()));
        Assert.Equal([IPAddress.Parse("10.240.0.20")], released);
        Assert.Equal(0, _hns.EndpointCount);
        Assert.Empty(_hns.NamespaceEndpoints(ns));
        Assert.DoesNotContain(endpointId, _hns.NamespaceEndpoints(ns));
        Assert.Equal(1, _hns.NetworkCount); // the network outlives its endpoints

        Assert.Empty(_driver.Delete(_config, TestData.Request(CniCommand.Del, ns.ToString())));

        CniException check = Assert.Throws<CniException>(() => _driver.Check(_config, TestData.Request(CniCommand.Check, ns.ToString())));
        Assert.Contains(TestData.EndpointName, check.Message);

        Assert.Empty(_driver.GarbageCollect(_config, TestData.Request(CniCommand.Gc, "")));
    }

    [Fact]
    public void Add_TwoContainers_CreatesTheNetworkOnceAndReusesIt()
    {
        Guid ns1 = _hns.AddNamespace();
        Guid ns2 = _hns.AddNamespace();

        _driver.Add(_config, TestData.Request(CniCommand.Add, ns1.ToString()), TestData.IpamResult("10.240.0.20"));
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns2.ToString(), "aa11bb22cc33"), TestData.IpamResult("10.240.0.21"));

        Assert.Equal(1, _hns.NetworkCount);
        Assert.Single(_hns.Calls, c => c.Operation == "HcnCreateNetwork");
        Assert.Equal(2, _hns.EndpointCount);
        Assert.Single(_hns.EndpointDocuments("aa11bb22-eth0"));
    }

    [Fact]
    public void Add_NetworkCreatedConcurrentlyByAnotherAdd_UsesThatNetwork()
    {
        _driver.Add(_config, TestData.Request(CniCommand.Add, _hns.AddNamespace().ToString()), TestData.IpamResult("10.240.0.20"));
        _hns.HideNetworksFromEnumerations = 1;

        _driver.Add(_config, TestData.Request(CniCommand.Add, _hns.AddNamespace().ToString(), "aa11bb22cc33"), TestData.IpamResult("10.240.0.21"));

        Assert.Equal(1, _hns.NetworkCount);
        Assert.Equal(2, _hns.Calls.Count(c => c.Operation == "HcnCreateNetwork")); // the second one lost the race
        Assert.Equal(2, _hns.EndpointCount);
    }

    [Fact]
    public void Add_EndpointCarriesExactlyTheExpectedPolicies()
    {
        WindowsNetworkConfig config = TestData.ParseConfig(TestData.Config.Replace(
            "\"portMappings\"",
            "\"dns\": { \"servers\": [ \"10.0.0.10\" ], \"searches\": [ \"default.svc.cluster.local\", \"svc.cluster.local\" ], \"options\": [ \"ndots:5\" ] },\n\"portMappings\"",
            StringComparison.Ordinal));
        Guid ns = _hns.AddNamespace();

        _driver.Add(config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());

        using JsonDocument endpoint = JsonDocument.Parse(Assert.Single(_hns.EndpointDocuments(TestData.EndpointName)));
        string[] policies = [.. endpoint.RootElement.GetProperty("Policies").EnumerateArray().Select(p => p.GetRawText())];
        Assert.Equal(
            [
                """{"Type":"OutBoundNAT","Settings":{"Exceptions":["10.240.0.0/16","10.0.0.0/8"]}}""",
                """{"Type":"SDNRoute","Settings":{"DestinationPrefix":"10.0.0.0/8","NeedEncap":true}}""",
                """{"Type":"ACL","Settings":{"Protocols":"6","Action":"Block","Direction":"Out","RemoteAddresses":"168.63.129.16/32","RemotePorts":"80","RuleType":"Switch","Priority":200}}""",
                """{"Type":"PortMapping","Settings":{"Protocol":6,"InternalPort":80,"ExternalPort":8080,"Flags":1}}""",
                """{"Type":"PortMapping","Settings":{"Protocol":17,"InternalPort":53,"ExternalPort":5353,"Flags":1}}""",
                """{"Type":"OutBoundNAT","Settings":{"Destinations":["10.240.0.20"]}}""",
            ],
            policies);

        // runtimeConfig.dns replaces the config's dns, searches as given.
        JsonElement dns = endpoint.RootElement.GetProperty("Dns");
        Assert.Equal("""{"Search":["default.svc.cluster.local","svc.cluster.local"],"ServerList":["10.0.0.10"],"Options":["ndots:5"]}""", dns.GetRawText());
    }

    [Fact]
    public void Add_StaleEndpointOfTheSameName_IsReplaced()
    {
        Guid ns = _hns.AddNamespace();
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());

        Guid ns2 = _hns.AddNamespace();
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns2.ToString()), TestData.IpamResult());

        Assert.Equal(1, _hns.EndpointCount);
        Assert.Empty(_hns.NamespaceEndpoints(ns));
        Assert.Single(_hns.NamespaceEndpoints(ns2));
    }

    [Fact]
    public void Add_NamespaceDoesNotExist_FailsAndLeavesNoEndpoint()
    {
        CniException e = Assert.Throws<CniException>(() => _driver.Add(_config, TestData.Request(CniCommand.Add, Guid.NewGuid().ToString()), TestData.IpamResult()));

        Assert.Equal(CniErrorCode.Runtime, e.Code);
        Assert.Equal(0, _hns.EndpointCount);
    }

    [Fact]
    public void Add_AttachTimesOut_AnswersTryAgainLaterAndLeavesNoEndpoint()
    {
        Guid ns = _hns.AddNamespace();
        ManualResetEventSlim attach = _hns.Hold("HcnModifyNamespace");

        CniException e = Assert.Throws<CniException>(() => _driver.Add(_shortTimeout, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult()));
        attach.Set();
        Assert.True(_hns.WaitIdle(TimeSpan.FromSeconds(30)));

        Assert.Equal(CniErrorCode.TryAgainLater, e.Code);
        Assert.Equal(0, _hns.EndpointCount);
        Assert.Empty(_hns.NamespaceEndpoints(ns));
    }

    [Fact]
    public void Add_CreateOutlivesTimeoutButFinishesDuringRollback_LeavesNoEndpoint()
    {
        // The create takes longer than the 1 s timeout; the rollback waits for it (up to another timeout), then deletes.
        Guid ns = _hns.AddNamespace();
        _hns.SlowDown("HcnCreateEndpoint", TimeSpan.FromMilliseconds(1200));

        CniException e = Assert.Throws<CniException>(() => _driver.Add(_shortTimeout, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult()));
        Assert.True(_hns.WaitIdle(TimeSpan.FromSeconds(30)));

        Assert.Equal(CniErrorCode.TryAgainLater, e.Code);
        Assert.Equal(0, _hns.EndpointCount);
    }

    [Fact]
    public void Add_CreateFinishesAfterTheRollbackGaveUp_RetryReplacesTheLeftover()
    {
        Guid ns = _hns.AddNamespace();
        ManualResetEventSlim create = _hns.Hold("HcnCreateEndpoint");

        CniException e = Assert.Throws<CniException>(() => _driver.Add(_shortTimeout, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult()));
        create.Set();
        Assert.True(_hns.WaitIdle(TimeSpan.FromSeconds(30)));
        Assert.Equal(CniErrorCode.TryAgainLater, e.Code);
        Assert.Equal(1, _hns.EndpointCount); // HNS finished the abandoned create after the rollback

        _driver.Add(_shortTimeout, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());

        Assert.Equal(1, _hns.EndpointCount);
        Assert.Single(_hns.NamespaceEndpoints(ns));
    }

    [Fact]
    public void Delete_TimesOut_AnswersTryAgainLater()
    {
        Guid ns = _hns.AddNamespace();
        _driver.Add(_shortTimeout, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());
        ManualResetEventSlim delete = _hns.Hold("HcnDeleteEndpoint");

        CniException e = Assert.Throws<CniException>(() => _driver.Delete(_shortTimeout, TestData.Request(CniCommand.Del, ns.ToString())));
        delete.Set();
        Assert.True(_hns.WaitIdle(TimeSpan.FromSeconds(30)));

        Assert.Equal(CniErrorCode.TryAgainLater, e.Code);
        Assert.Empty(_driver.Delete(_shortTimeout, TestData.Request(CniCommand.Del, ns.ToString()))); // the late delete went through
    }

    [Fact]
    public void Check_EndpointDetachedBehindOurBack_Fails()
    {
        Guid ns = _hns.AddNamespace();
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns.ToString()), TestData.IpamResult());
        Guid endpointId = Assert.Single(_hns.NamespaceEndpoints(ns));
        new HcnClient(_hns).RemoveNamespaceEndpoint(ns, endpointId);

        CniException e = Assert.Throws<CniException>(() => _driver.Check(_config, TestData.Request(CniCommand.Check, ns.ToString())));
        Assert.Contains("not attached", e.Message);
    }

    [Fact]
    public void GarbageCollect_DeletesOnlyOurEndpointsNotInTheValidList()
    {
        Guid ns1 = _hns.AddNamespace();
        Guid ns2 = _hns.AddNamespace();
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns1.ToString()), TestData.IpamResult("10.240.0.20"));
        _driver.Add(_config, TestData.Request(CniCommand.Add, ns2.ToString(), "aa11bb22cc33"), TestData.IpamResult("10.240.0.21"));
        // Another component's endpoint on the same network.
        var hcn = new HcnClient(_hns);
        Guid networkId = HcnIds.Parse(hcn.GetNetworkByName("azure")!.Id, "network");
        hcn.CreateEndpoint(networkId, Guid.NewGuid(), new Schema.HostComputeEndpoint
        {
            Name = "sourceVipEndpoint",
            IpConfigurations = [new Schema.IpConfig { IpAddress = "10.240.0.2" }],
            SchemaVersion = Schema.SchemaVersion.V2,
        });

        var gc = new CniRequest
        {
            Command = CniCommand.Gc,
            Config = new NetConf { Name = "azure" },
            ValidAttachments = [new GcAttachment { ContainerId = TestData.ContainerId, IfName = "eth0" }],
        };
        IReadOnlyList<IPAddress> released = _driver.GarbageCollect(_config, gc);

        Assert.Equal([IPAddress.Parse("10.240.0.21")], released);
        Assert.Single(_hns.EndpointDocuments(TestData.EndpointName));
        Assert.Empty(_hns.EndpointDocuments("aa11bb22-eth0"));
        Assert.Single(_hns.EndpointDocuments("sourceVipEndpoint"));
        Assert.Empty(_hns.NamespaceEndpoints(ns2));
        EndpointRecord kept = Assert.Single(_store.Read().Endpoints);
        Assert.Equal(TestData.ContainerId, kept.ContainerId);
    }

    [Fact]
    public void Dns_NameserversWithoutSearch_IsAnInvalidConfig()
    {
        WindowsNetworkConfig config = TestData.ParseConfig(TestData.Config.Replace("\"Search\": [ \"svc.cluster.local\" ]", "\"Search\": []", StringComparison.Ordinal));

        CniException e = Assert.Throws<CniException>(() => _driver.Add(config, TestData.Request(CniCommand.Add, _hns.AddNamespace().ToString()), TestData.IpamResult()));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Equal(0, _hns.NetworkCount);
    }

    [Fact]
    public void PortMapping_UnknownProtocol_IsAnInvalidConfig()
    {
        WindowsNetworkConfig config = TestData.ParseConfig(TestData.Config.Replace("\"protocol\": \"UDP\"", "\"protocol\": \"sctp\"", StringComparison.Ordinal));

        CniException e = Assert.Throws<CniException>(() => _driver.Add(config, TestData.Request(CniCommand.Add, _hns.AddNamespace().ToString()), TestData.IpamResult()));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Equal(0, _hns.EndpointCount);
    }

    [Fact]
    public void HnsV1_AddDelDelAgain_HotAttachesByContainerId()
    {
        _hns.AddContainer(TestData.ContainerId);
        CniRequest add = TestData.Request(CniCommand.Add, "none");

        CniResult result = _driver.Add(_config, add, TestData.IpamResult());

        Assert.NotNull(Assert.Single(result.Interfaces).Mac);
        Assert.Equal([TestData.ContainerId], _hns.ContainerAttachments(TestData.EndpointName));
        Assert.Single(_hns.Calls, c => c.Operation == "HNSCall" && c.Document is not null && c.Document.Contains("\"ExceptionList\"", StringComparison.Ordinal));
        _driver.Check(_config, TestData.Request(CniCommand.Check, "none"));

        Assert.Equal([IPAddress.Parse("10.240.0.20")], _driver.Delete(_config, TestData.Request(CniCommand.Del, "none")));
        Assert.Equal(0, _hns.EndpointCount);
        Assert.Empty(_store.Read().Endpoints);
        Assert.Empty(_driver.Delete(_config, TestData.Request(CniCommand.Del, "none")));
    }

    [Fact]
    public void HnsV1_WorkloadContainer_JoinsTheInfraEndpointAndLeavesItOnDelete()
    {
        const string Workload = "ffee0011223344";
        _hns.AddContainer(TestData.ContainerId);
        _hns.AddContainer(Workload);
        _driver.Add(_config, TestData.Request(CniCommand.Add, "none"), TestData.IpamResult());

        _driver.Add(_config, TestData.Request(CniCommand.Add, "container:" + TestData.ContainerId, Workload), TestData.IpamResult());
        Assert.Equal(1, _hns.EndpointCount);
        Assert.Equal(2, _hns.ContainerAttachments(TestData.EndpointName).Count);
        Assert.Equal([TestData.EndpointName, TestData.EndpointName], _store.Read().Endpoints.Select(e => e.EndpointName));

        Assert.Empty(_driver.Delete(_config, TestData.Request(CniCommand.Del, "container:" + TestData.ContainerId, Workload)));
        Assert.Equal([TestData.ContainerId], _hns.ContainerAttachments(TestData.EndpointName));
        Assert.Equal(TestData.ContainerId, Assert.Single(_store.Read().Endpoints).ContainerId);
    }

    [Fact]
    public void HnsV1_HotAttachFails_DeletesTheEndpoint()
    {
        // No such container: HcsOpenComputeSystem fails.
        CniException e = Assert.Throws<CniException>(() => _driver.Add(_config, TestData.Request(CniCommand.Add, "none"), TestData.IpamResult()));

        Assert.Equal(CniErrorCode.Runtime, e.Code);
        Assert.Equal(0, _hns.EndpointCount);
    }

    [Theory]
    [InlineData("7e2f4b1c9d8a", "eth0", "7e2f4b1c-eth0")]
    [InlineData("abc", "eth1", "abc-eth1")]
    public void EndpointName_IsFirst8CharactersDashIfName(string containerId, string ifName, string expected)
        => Assert.Equal(expected, WindowsNetworkDriver.EndpointName(containerId, ifName));

    /// <summary>An HNS whose every call fails as <see cref="HostNetworkService"/> does without computenetwork.dll.</summary>
    public class NoHns : System.Reflection.DispatchProxy
    {
        public static IHostNetworkService Create() => Create<IHostNetworkService, NoHns>();

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            throw HnsException.Unavailable("computenetwork.dll", new DllNotFoundException("Unable to load DLL 'computenetwork.dll' or one of its dependencies"));
    }
}
