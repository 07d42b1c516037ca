using System.Runtime.InteropServices;
using System.Runtime.Versioning;

internal static partial class Interop
{
    /// <summary>vmcompute.dll: the HNS v1 call and the (v1) compute system calls used to hot-attach an endpoint.</summary>
    [SupportedOSPlatform("windows")]
    internal static partial class VmCompute
    {
        internal const string Library = "vmcompute.dll";

        /// <summary>The response is a JSON document {"Success": bool, "Error": "...", "Output": ...}, CoTaskMem.</summary>
        [LibraryImport(Library, EntryPoint = "HNSCall", StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HnsCall(string method, string path, string request, out nint response);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcsOpenComputeSystem(string id, out SafeHcsSystemHandle computeSystem, out nint result);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf16)]
        internal static partial int HcsModifyComputeSystem(SafeHcsSystemHandle computeSystem, string configuration, out nint result);

        [LibraryImport(Library)]
        internal static partial int HcsCloseComputeSystem(nint computeSystem);
    }
}
