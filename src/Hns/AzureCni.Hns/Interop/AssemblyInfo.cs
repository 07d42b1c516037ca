// All interop is source-generated (LibraryImport) and blittable; nothing relies on runtime marshalling.
[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]
