// All interop is blittable (pointers, integers, SafeHandles marshalled by LibraryImport's generated code).
[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]
