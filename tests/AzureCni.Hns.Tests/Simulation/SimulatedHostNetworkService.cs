using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureCni.Hns.Tests.Simulation;

/// <summary>
/// An in-memory HNS behind the interface the real one implements. Every document is checked against
/// <see cref="HcnSchema"/> (a failure is HCN_E_INVALID_JSON with the reasons); networks, endpoints,
/// namespaces and container attachments are kept the way HNS keeps them, with its error codes for
/// unknown IDs, duplicate network names, addresses outside the network and deleting what is in use.
/// Calls can be held or slowed down, per operation, to exercise timeouts.
/// </summary>
internal sealed class SimulatedHostNetworkService : IHostNetworkService
{
    private const int HCN_E_INVALID_IP = unchecked((int)0x803B001E);

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, NetworkRecord> _networks = [];
    private readonly Dictionary<Guid, EndpointRecord> _endpoints = [];
    private readonly Dictionary<Guid, HashSet<Guid>> _namespaces = [];
    private readonly HashSet<string> _containers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ManualResetEventSlim> _holds = [];
    private readonly Dictionary<string, TimeSpan> _delays = [];
    private readonly List<(string Operation, string? Document)> _calls = [];
    private int _macCounter;
    private int _inFlight;

    private sealed record NetworkRecord(Guid Id, string Name, JsonObject Document, List<IPNetwork> Subnets);

    private sealed class EndpointRecord(Guid id, Guid networkId, string name, string mac, JsonObject document, bool isV1)
    {
        public Guid Id { get; } = id;
        public Guid NetworkId { get; } = networkId;
        public string Name { get; } = name;
        public string Mac { get; } = mac;
        public JsonObject Document { get; } = document;
        public bool IsV1 { get; } = isV1;
        public Guid? Namespace { get; set; }
        public HashSet<string> Containers { get; } = new(StringComparer.OrdinalIgnoreCase);
        public List<(IPAddress Address, int PrefixLength)> Addresses { get; } = [];
    }

    // Test controls

    /// <summary>Makes every later <paramref name="operation"/> call wait until the returned gate is set (then carry on).</summary>
    public ManualResetEventSlim Hold(string operation)
    {
        var gate = new ManualResetEventSlim(false);
        lock (_lock)
            _holds[operation] = gate;
        return gate;
    }

    /// <summary>Makes every later <paramref name="operation"/> call take <paramref name="delay"/> before it takes effect.</summary>
    public void SlowDown(string operation, TimeSpan delay)
    {
        lock (_lock)
            _delays[operation] = delay;
    }

    /// <summary>Waits until no call is in progress (calls abandoned by a timeout finish in the background).</summary>
    public bool WaitIdle(TimeSpan limit) => SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, limit);

    /// <summary>
    /// The next this many network enumerations answer "none", as if another ADD created the network just
    /// after this one looked (a race the plugin must survive).
    /// </summary>
    public int HideNetworksFromEnumerations { get; set; }

    /// <summary>A namespace as containerd creates it before ADD.</summary>
    public Guid AddNamespace()
    {
        var id = Guid.NewGuid();
        lock (_lock)
            _namespaces[id] = [];
        return id;
    }

    /// <summary>A running container (v1 hot-attach target).</summary>
    public void AddContainer(string id)
    {
        lock (_lock)
            _containers.Add(id);
    }

    public IReadOnlyList<(string Operation, string? Document)> Calls
    {
        get
        {
            lock (_lock)
                return [.. _calls];
        }
    }

    public int NetworkCount { get { lock (_lock) return _networks.Count; } }

    public int EndpointCount { get { lock (_lock) return _endpoints.Count; } }

    /// <summary>The settings document an endpoint was created with, as sent.</summary>
    public IReadOnlyList<string> EndpointDocuments(string name)
    {
        lock (_lock)
            return [.. _endpoints.Values.Where(e => e.Name == name).Select(e => e.Document.ToJsonString())];
    }

    public IReadOnlyList<Guid> NamespaceEndpoints(Guid namespaceId)
    {
        lock (_lock)
            return _namespaces.TryGetValue(namespaceId, out HashSet<Guid>? endpoints) ? [.. endpoints] : [];
    }

    public IReadOnlyList<string> ContainerAttachments(string endpointName)
    {
        lock (_lock)
            return [.. _endpoints.Values.Where(e => e.Name == endpointName).SelectMany(e => e.Containers)];
    }

    // Networks

    public string EnumerateNetworks(string query) => Call("HcnEnumerateNetworks", query, () =>
    {
        JsonObject filter = Filter(query, "HcnEnumerateNetworks");
        if (HideNetworksFromEnumerations > 0)
        {
            HideNetworksFromEnumerations--;
            return "[]";
        }
        return HcnDocuments.WriteIds(_networks.Values.Where(n => Matches(NetworkView(n), filter)).Select(n => n.Id));
    });

    public string CreateNetwork(Guid id, string settings) => Call("HcnCreateNetwork", settings, () =>
    {
        JsonObject document = Check("HcnCreateNetwork", settings, HcnSchema.Network, HnsResults.HCN_E_INVALID_NETWORK);
        string name = (string)document["Name"]!;
        if (_networks.Values.Any(n => n.Name == name))
            throw Error("HcnCreateNetwork", HnsResults.HCN_E_NETWORK_ALREADY_EXISTS, $"A network with the name {name} already exists.");
        id = id == Guid.Empty ? Guid.NewGuid() : id;
        if (_networks.ContainsKey(id))
            throw Error("HcnCreateNetwork", HnsResults.AlreadyExists, $"Network {id} already exists.");

        var subnets = new List<IPNetwork>();
        foreach (JsonNode? ipam in document["Ipams"]?.AsArray() ?? [])
        {
            foreach (JsonNode? subnet in ipam!["Subnets"]?.AsArray() ?? [])
                subnets.Add(IPNetwork.Parse((string)subnet!["IpAddressPrefix"]!));
        }
        var record = new NetworkRecord(id, name, document, subnets);
        _networks[id] = record;
        return NetworkView(record).ToJsonString();
    });

    public string QueryNetworkProperties(Guid id, string query) => Call("HcnQueryNetworkProperties", query, () =>
    {
        Check("HcnQueryNetworkProperties", query, HcnSchema.Query, HnsResults.HCN_E_INVALID_JSON);
        return NetworkView(FindNetwork("HcnOpenNetwork", id)).ToJsonString();
    });

    public void ModifyNetwork(Guid id, string settings) => Call("HcnModifyNetwork", settings, () =>
    {
        FindNetwork("HcnOpenNetwork", id);
        throw Error("HcnModifyNetwork", HnsResults.E_INVALIDARG, "The simulated HNS does not modify networks.");
    });

    public void DeleteNetwork(Guid id) => Call("HcnDeleteNetwork", null, () =>
    {
        FindNetwork("HcnDeleteNetwork", id);
        if (_endpoints.Values.Any(e => e.NetworkId == id))
            throw Error("HcnDeleteNetwork", HnsResults.HCN_E_ENTITY_HAS_REFERENCES, "The network still has endpoints.");
        _networks.Remove(id);
        return true;
    });

    // Endpoints

    public string EnumerateEndpoints(string query) => Call("HcnEnumerateEndpoints", query, () =>
    {
        JsonObject filter = Filter(query, "HcnEnumerateEndpoints");
        return HcnDocuments.WriteIds(_endpoints.Values.Where(e => Matches(EndpointView(e), filter)).Select(e => e.Id));
    });

    public string CreateEndpoint(Guid networkId, Guid id, string settings) => Call("HcnCreateEndpoint", settings, () =>
    {
        NetworkRecord network = FindNetwork("HcnOpenNetwork", networkId);
        JsonObject document = Check("HcnCreateEndpoint", settings, HcnSchema.Endpoint, HnsResults.HCN_E_INVALID_ENDPOINT);
        if (!Guid.TryParse((string?)document["HostComputeNetwork"], out Guid named) || named != networkId)
            throw Error("HcnCreateEndpoint", HnsResults.HCN_E_INVALID_ENDPOINT, "HostComputeNetwork does not name the network the endpoint is created on.");
        EndpointRecord record = NewEndpoint("HcnCreateEndpoint", id, network, (string)document["Name"]!, document, isV1: false);
        foreach (JsonNode? config in document["IpConfigurations"]?.AsArray() ?? [])
            AddAddress("HcnCreateEndpoint", record, network, (string)config!["IpAddress"]!, (int?)config["PrefixLength"]);
        _endpoints[record.Id] = record;
        return EndpointView(record).ToJsonString();
    });

    public string QueryEndpointProperties(Guid id, string query) => Call("HcnQueryEndpointProperties", query, () =>
    {
        Check("HcnQueryEndpointProperties", query, HcnSchema.Query, HnsResults.HCN_E_INVALID_JSON);
        return EndpointView(FindEndpoint("HcnOpenEndpoint", id)).ToJsonString();
    });

    public void ModifyEndpoint(Guid id, string settings) => Call("HcnModifyEndpoint", settings, () =>
    {
        FindEndpoint("HcnOpenEndpoint", id);
        throw Error("HcnModifyEndpoint", HnsResults.E_INVALIDARG, "The simulated HNS does not modify endpoints.");
    });

    public void DeleteEndpoint(Guid id) => Call("HcnDeleteEndpoint", null, () =>
    {
        DeleteEndpointRecord("HcnDeleteEndpoint", FindEndpoint("HcnDeleteEndpoint", id));
        return true;
    });

    // Namespaces

    public string EnumerateNamespaces(string query) => Call("HcnEnumerateNamespaces", query, () =>
    {
        JsonObject filter = Filter(query, "HcnEnumerateNamespaces");
        return HcnDocuments.WriteIds(_namespaces.Keys.Where(id => Matches(NamespaceView(id), filter)));
    });

    public string CreateNamespace(Guid id, string settings) => Call("HcnCreateNamespace", settings, () =>
    {
        Check("HcnCreateNamespace", settings, HcnSchema.Namespace, HnsResults.HCN_E_INVALID_JSON);
        id = id == Guid.Empty ? Guid.NewGuid() : id;
        if (!_namespaces.TryAdd(id, []))
            throw Error("HcnCreateNamespace", HnsResults.AlreadyExists, $"Namespace {id} already exists.");
        return NamespaceView(id).ToJsonString();
    });

    public string QueryNamespaceProperties(Guid id, string query) => Call("HcnQueryNamespaceProperties", query, () =>
    {
        Check("HcnQueryNamespaceProperties", query, HcnSchema.Query, HnsResults.HCN_E_INVALID_JSON);
        FindNamespace("HcnOpenNamespace", id);
        return NamespaceView(id).ToJsonString();
    });

    public void ModifyNamespace(Guid id, string settings) => Call("HcnModifyNamespace", settings, () =>
    {
        HashSet<Guid> attached = FindNamespace("HcnOpenNamespace", id);
        JsonObject request = Check("HcnModifyNamespace", settings, HcnSchema.ModifyNamespace, HnsResults.HCN_E_INVALID_JSON);
        Guid endpointId = Guid.Parse((string)request["Settings"]!["EndpointId"]!);
        EndpointRecord endpoint = FindEndpoint("HcnModifyNamespace", endpointId);
        if ((string)request["RequestType"]! == "Add")
        {
            if (endpoint.Namespace is not null)
                throw Error("HcnModifyNamespace", HnsResults.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS, "The endpoint is already in a namespace.");
            attached.Add(endpointId);
            endpoint.Namespace = id;
        }
        else
        {
            if (!attached.Remove(endpointId))
                throw Error("HcnModifyNamespace", HnsResults.ElementNotFound, "The endpoint is not in this namespace.");
            endpoint.Namespace = null;
        }
        return true;
    });

    public void DeleteNamespace(Guid id) => Call("HcnDeleteNamespace", null, () =>
    {
        if (FindNamespace("HcnDeleteNamespace", id).Count > 0)
            throw Error("HcnDeleteNamespace", HnsResults.HCN_E_ENTITY_HAS_REFERENCES, "The namespace still has endpoints.");
        _namespaces.Remove(id);
        return true;
    });

    // HNS v1

    public string HnsRequest(string method, string path, string? request)
    {
        string operation = $"HNSCall {method} {path}";
        string response = Call("HNSCall", request, () =>
        {
            try
            {
                return HnsV1Response.Wrap(true, null, HandleV1(method, path, request));
            }
            catch (HnsException e)
            {
                // HNS v1 reports failures in the envelope, not as an HRESULT.
                return HnsV1Response.Wrap(false, e.Message, null);
            }
        });
        return HnsV1Response.Unwrap(operation, response);
    }

    public void ModifyComputeSystem(string computeSystemId, string configuration) => Call("HcsModifyComputeSystem", configuration, () =>
    {
        if (!_containers.Contains(computeSystemId))
            throw Error("HcsOpenComputeSystem", HnsResults.HCS_E_SYSTEM_NOT_FOUND, $"A compute system with the ID {computeSystemId} was not found.");
        JsonObject request = Check("HcsModifyComputeSystem", configuration, HcnSchema.ComputeSystemModify, HnsResults.E_INVALIDARG);
        EndpointRecord endpoint = FindEndpoint("HcsModifyComputeSystem", Guid.Parse((string)request["Settings"]!));
        if ((string)request["RequestType"]! == "Add")
        {
            if (!endpoint.Containers.Add(computeSystemId))
                throw Error("HcsModifyComputeSystem", HnsResults.HCN_E_ENDPOINT_ALREADY_ATTACHED, "The endpoint is already attached to the container.");
        }
        else if (!endpoint.Containers.Remove(computeSystemId))
        {
            throw Error("HcsModifyComputeSystem", HnsResults.ElementNotFound, "The endpoint is not attached to the container.");
        }
        return true;
    });

    private string HandleV1(string method, string path, string? request)
    {
        const string Endpoints = "/endpoints/";
        if (!path.StartsWith(Endpoints, StringComparison.OrdinalIgnoreCase))
            throw Error("HNSCall", HnsResults.E_INVALIDARG, $"Unsupported path {path}.");
        string rest = path[Endpoints.Length..];
        switch (method)
        {
            case "GET" when rest.Length == 0:
                return new JsonArray([.. _endpoints.Values.Select(V1View)]).ToJsonString();
            case "GET":
                return V1View(FindV1Endpoint(rest)).ToJsonString();
            case "POST" when rest.Length == 0:
                JsonObject document = Check("HNSCall", request ?? "", HcnSchema.V1Endpoint, HnsResults.E_INVALIDARG);
                NetworkRecord network = FindNetwork("HNSCall", Guid.Parse((string)document["VirtualNetwork"]!));
                EndpointRecord record = NewEndpoint("HNSCall", Guid.Empty, network, (string)document["Name"]!, document, isV1: true);
                if ((string?)document["IPAddress"] is { } v4)
                    AddAddress("HNSCall", record, network, v4, (int?)document["PrefixLength"]);
                if ((string?)document["IPv6Address"] is { } v6)
                    AddAddress("HNSCall", record, network, v6, (int?)document["IPv6PrefixLength"]);
                _endpoints[record.Id] = record;
                return V1View(record).ToJsonString();
            case "DELETE" when rest.Length > 0:
                DeleteEndpointRecord("HNSCall", FindV1Endpoint(rest));
                return "null";
            default:
                throw Error("HNSCall", HnsResults.E_INVALIDARG, $"Unsupported request {method} {path}.");
        }
    }

    private EndpointRecord FindV1Endpoint(string id)
        => Guid.TryParse(id, out Guid guid) && _endpoints.TryGetValue(guid, out EndpointRecord? record)
            ? record
            : throw Error("HNSCall", HnsResults.ElementNotFound, $"Endpoint {id} not found.");

    // Machinery

    private T Call<T>(string operation, string? document, Func<T> body)
    {
        ManualResetEventSlim? hold;
        TimeSpan delay;
        lock (_lock)
        {
            _calls.Add((operation, document));
            _holds.TryGetValue(operation, out hold);
            _delays.TryGetValue(operation, out delay);
        }
        Interlocked.Increment(ref _inFlight);
        try
        {
            hold?.Wait();
            if (delay > TimeSpan.Zero)
                Thread.Sleep(delay);
            lock (_lock)
                return body();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Call(string operation, string? document, Func<bool> body) => Call<bool>(operation, document, body);

    private static JsonObject Check(string operation, string json, HcnSchema.Shape shape, int hresult)
    {
        List<string> errors = HcnSchema.Validate(json, shape);
        if (errors.Count > 0)
            throw Error(operation, hresult, "Invalid document: " + string.Join("; ", errors));
        return JsonNode.Parse(json)!.AsObject();
    }

    private static JsonObject Filter(string query, string operation)
    {
        JsonObject parsed = Check(operation, query, HcnSchema.Query, HnsResults.HCN_E_INVALID_JSON);
        return parsed["Filter"] is JsonValue filter ? JsonNode.Parse((string)filter!)!.AsObject() : [];
    }

    private static bool Matches(JsonObject view, JsonObject filter)
    {
        foreach ((string name, JsonNode? wanted) in filter)
        {
            string? actual = view[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? (string?)value : null;
            if (!string.Equals(actual, (string?)wanted, StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }

    private static HnsException Error(string operation, int hresult, string message)
    {
        string record = new JsonObject { ["Error"] = message, ["ErrorCode"] = unchecked((uint)hresult), ["Success"] = false }.ToJsonString();
        return HnsException.FromHResult(operation, hresult, record);
    }

    private NetworkRecord FindNetwork(string operation, Guid id)
        => _networks.TryGetValue(id, out NetworkRecord? network)
            ? network
            : throw Error(operation, HnsResults.HCN_E_NETWORK_NOT_FOUND, $"Network {id} not found.");

    private EndpointRecord FindEndpoint(string operation, Guid id)
        => _endpoints.TryGetValue(id, out EndpointRecord? endpoint)
            ? endpoint
            : throw Error(operation, HnsResults.HCN_E_ENDPOINT_NOT_FOUND, $"Endpoint {id} not found.");

    private HashSet<Guid> FindNamespace(string operation, Guid id)
        => _namespaces.TryGetValue(id, out HashSet<Guid>? endpoints)
            ? endpoints
            : throw Error(operation, HnsResults.ElementNotFound, $"Namespace {id} not found.");

    private EndpointRecord NewEndpoint(string operation, Guid id, NetworkRecord network, string name, JsonObject document, bool isV1)
    {
        id = id == Guid.Empty ? Guid.NewGuid() : id;
        if (_endpoints.ContainsKey(id))
            throw Error(operation, HnsResults.AlreadyExists, $"Endpoint {id} already exists.");
        int n = ++_macCounter;
        string mac = $"00-15-5D-{(n >> 16) & 0xFF:X2}-{(n >> 8) & 0xFF:X2}-{n & 0xFF:X2}";
        return new EndpointRecord(id, network.Id, name, mac, document, isV1);
    }

    private static void AddAddress(string operation, EndpointRecord endpoint, NetworkRecord network, string text, int? prefixLength)
    {
        IPAddress address = IPAddress.Parse(text);
        IPNetwork? subnet = network.Subnets.Cast<IPNetwork?>().FirstOrDefault(s => s!.Value.Contains(address));
        if (subnet is null)
            throw Error(operation, HCN_E_INVALID_IP, $"{text} is not in any subnet of network {network.Name}.");
        endpoint.Addresses.Add((address, prefixLength ?? subnet.Value.PrefixLength));
    }

    private void DeleteEndpointRecord(string operation, EndpointRecord endpoint)
    {
        if (endpoint.Namespace is not null || endpoint.Containers.Count > 0)
            throw Error(operation, HnsResults.HCN_E_ENTITY_HAS_REFERENCES, "The endpoint is still attached.");
        _endpoints.Remove(endpoint.Id);
    }

    // What a query returns: the document as created, with what HNS adds (ID, MAC, state, health).
    private static JsonObject NetworkView(NetworkRecord network)
    {
        var view = (JsonObject)network.Document.DeepClone();
        view["ID"] = network.Id.ToString("D").ToUpperInvariant();
        view["State"] = 1;
        view["Health"] = new JsonObject { ["LastErrorCode"] = 0, ["LastUpdateTime"] = 133000000000000000 };
        return view;
    }

    private JsonObject EndpointView(EndpointRecord endpoint)
    {
        var view = new JsonObject
        {
            ["ID"] = endpoint.Id.ToString("D").ToUpperInvariant(),
            ["Name"] = endpoint.Name,
            ["HostComputeNetwork"] = endpoint.NetworkId.ToString("D").ToUpperInvariant(),
        };
        if (endpoint.Namespace is { } ns)
            view["HostComputeNamespace"] = ns.ToString("D").ToUpperInvariant();
        if (!endpoint.IsV1)
        {
            foreach (string member in (string[])["Policies", "Dns", "Routes", "Flags"])
            {
                if (endpoint.Document[member] is { } value)
                    view[member] = value.DeepClone();
            }
        }
        view["IpConfigurations"] = new JsonArray([.. endpoint.Addresses.Select(a => (JsonNode)new JsonObject { ["IpAddress"] = a.Address.ToString(), ["PrefixLength"] = a.PrefixLength })]);
        view["MacAddress"] = endpoint.Mac;
        view["State"] = endpoint.Namespace is null && endpoint.Containers.Count == 0 ? 1 : 2;
        view["SchemaVersion"] = new JsonObject { ["Major"] = 2, ["Minor"] = 0 };
        return view;
    }

    private JsonObject NamespaceView(Guid id) => new()
    {
        ["ID"] = id.ToString("D").ToUpperInvariant(),
        ["Type"] = "Host",
        ["NamespaceId"] = 7,
        ["Resources"] = new JsonArray([.. _namespaces[id].Select(e => (JsonNode)new JsonObject
        {
            ["Type"] = "Endpoint",
            ["Data"] = new JsonObject { ["ID"] = e.ToString("D").ToUpperInvariant() },
        })]),
        ["SchemaVersion"] = new JsonObject { ["Major"] = 2, ["Minor"] = 0 },
    };

    private JsonObject V1View(EndpointRecord endpoint)
    {
        var view = new JsonObject
        {
            ["ID"] = endpoint.Id.ToString("D").ToUpperInvariant(),
            ["Name"] = endpoint.Name,
            ["VirtualNetwork"] = endpoint.NetworkId.ToString("D").ToUpperInvariant(),
            ["VirtualNetworkName"] = _networks.TryGetValue(endpoint.NetworkId, out NetworkRecord? network) ? network.Name : "",
            ["MacAddress"] = endpoint.Mac,
            ["State"] = 1,
        };
        foreach ((IPAddress address, int prefixLength) in endpoint.Addresses)
        {
            bool v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            view[v6 ? "IPv6Address" : "IPAddress"] = address.ToString();
            view[v6 ? "IPv6PrefixLength" : "PrefixLength"] = prefixLength;
        }
        if (endpoint.IsV1 && endpoint.Document["Policies"] is { } policies)
            view["Policies"] = policies.DeepClone();
        return view;
    }
}
