using System.Runtime.InteropServices;
using System.Runtime.Versioning;

internal static partial class Interop
{
    /// <summary>computenetwork.dll, the HCN v2 API (Windows.Win32.System.HostComputeNetwork). Every PWSTR out is CoTaskMem.</summary>
    [SupportedOSPlatform("windows")]
    internal static partial class ComputeNetwork
    {
        internal const string Library = "computenetwork.dll";

        // Networks
        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnEnumerateNetworks(string query, out nint networks, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnCreateNetwork(in Guid id, string settings, out SafeHcnNetworkHandle network, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnOpenNetwork(in Guid id, out SafeHcnNetworkHandle network, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnModifyNetwork(SafeHcnNetworkHandle network, string settings, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnQueryNetworkProperties(SafeHcnNetworkHandle network, string query, out nint properties, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnDeleteNetwork(in Guid id, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnCloseNetwork(nint network);

        // Endpoints
        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnEnumerateEndpoints(string query, out nint endpoints, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnCreateEndpoint(SafeHcnNetworkHandle network, in Guid id, string settings, out SafeHcnEndpointHandle endpoint, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnOpenEndpoint(in Guid id, out SafeHcnEndpointHandle endpoint, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnModifyEndpoint(SafeHcnEndpointHandle endpoint, string settings, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnQueryEndpointProperties(SafeHcnEndpointHandle endpoint, string query, out nint properties, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnDeleteEndpoint(in Guid id, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnCloseEndpoint(nint endpoint);

        // Namespaces
        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnEnumerateNamespaces(string query, out nint namespaces, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnCreateNamespace(in Guid id, string settings, out SafeHcnNamespaceHandle @namespace, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnOpenNamespace(in Guid id, out SafeHcnNamespaceHandle @namespace, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnModifyNamespace(SafeHcnNamespaceHandle @namespace, string settings, out nint errorRecord);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcnQueryNamespaceProperties(SafeHcnNamespaceHandle @namespace, string query, out nint properties, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnDeleteNamespace(in Guid id, out nint errorRecord);

        [LibraryImport(Library)]
        internal static partial int HcnCloseNamespace(nint @namespace);
    }

    /// <summary>Takes ownership of a CoTaskMem UTF-16 string an API returned: reads it and frees it.</summary>
    internal static string? TakeCoTaskMemString(nint buffer)
    {
        if (buffer == 0)
            return null;
        try
        {
            return Marshal.PtrToStringUni(buffer);
        }
        finally
        {
            Marshal.FreeCoTaskMem(buffer);
        }
    }
}
